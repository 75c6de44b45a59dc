-- A payment that failed or was cancelled before its transaction reached the chain gives its coins
-- back (StateTransitions), but keeps the txid it built in its record. The next payment with the same
-- recipient, amount and fee rate then picks the same coins and builds the very same transaction:
-- the old index refused it forever (the build rolled back, retried, and the payment failed at its
-- stage timeout). Two live payments can never share a txid (their coins are reserved), so
-- uniqueness holds among the payments that are not failed or cancelled.
DROP INDEX transactions_txid;
CREATE UNIQUE INDEX transactions_txid ON transactions (txid)
    WHERE txid IS NOT NULL AND state NOT IN ('failed', 'cancelled');
