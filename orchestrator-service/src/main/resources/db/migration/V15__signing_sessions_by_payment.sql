-- Every signing step looks a payment's sessions up by tx_id (the open ones to resume or settle,
-- all of them for the attempts' outcomes). V11 dropped the only index on tx_id (the partial
-- one-open-session index), so each lookup read the whole table: measured at 4,000 payments, 12,000
-- sequential scans had read 26 million rows, a cost that grew with every payment ever signed.
CREATE INDEX signing_sessions_by_payment ON signing_sessions (tx_id, started_at);
