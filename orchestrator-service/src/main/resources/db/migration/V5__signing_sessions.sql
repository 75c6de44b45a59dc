-- Every FROST session that reached round 2, written before the first round-2 request leaves: an
-- orchestrator taking over a payment whose previous orchestrator died mid-session finds the session
-- here and ends it in etcd (finishes it from the recorded shares, or aborts it) before it starts
-- another, so a payment is never signed twice with different nonces.
--   open      round 2 was asked; how it ends is not settled yet
--   complete  every signer's shares are recorded in etcd and aggregate to a verified signature
--   aborted   aborted in etcd (a share was missing); no share can be recorded for it any more
--   invalid   every share is recorded but one does not verify: no valid signature can come from it
CREATE TABLE signing_sessions (
    session_id   uuid        PRIMARY KEY,
    tx_id        uuid        NOT NULL REFERENCES transactions (id),
    signers      text[]      NOT NULL,
    commitments  jsonb       NOT NULL,
    txid         text        NOT NULL,
    started_at   timestamptz NOT NULL,
    state        text        NOT NULL DEFAULT 'open'
                             CHECK (state IN ('open', 'complete', 'aborted', 'invalid')),
    closed_at    timestamptz,
    CHECK ((state = 'open') = (closed_at IS NULL))
);
-- At most one open session per payment: a new session is opened only after the previous one was
-- settled in etcd (aborted, or complete with an invalid share), and a complete one is closed only
-- with the move to signed. So at most one session of a payment ever yields a signature, even if
-- two replicas both believe they hold the payment's lease.
CREATE UNIQUE INDEX signing_sessions_one_open ON signing_sessions (tx_id) WHERE state = 'open';

COMMENT ON COLUMN signing_sessions.commitments IS
    'every signer''s round-1 commitments: {"node-1": ["<hex, input 0>", ...], ...}';
COMMENT ON COLUMN signing_sessions.txid IS 'the unsigned transaction the session signs';
