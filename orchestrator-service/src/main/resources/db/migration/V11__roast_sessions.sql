-- ROAST: a payment may have several FROST sessions open at once, each among t signers on
-- commitments they shared ahead of time; the first with t valid shares is signed, the others are
-- aborted in etcd. Two sessions of one payment always sign the same unsigned transaction: each node
-- binds the payment to one txid (its journal and the lock in etcd) before it releases a share, so
-- several open sessions can never give two different signed transactions. A session is still
-- opened only by the holder of the payment's lease, and a replica taking over settles every open
-- session before it starts another.
DROP INDEX signing_sessions_one_open;

-- the one-time ids of the pre-shared commitments a session uses, by signer, one per input
-- ({"node-1": ["<uuid, input 0>", ...]}): round 2 names them, and a replica taking over names
-- them again when it asks a signer with nothing recorded
ALTER TABLE signing_sessions ADD COLUMN commitment_ids jsonb NOT NULL DEFAULT '{}'::jsonb;

-- what each signer did in the session, once known: "share ok", "invalid share",
-- "refused: <code>", "no answer: <why>", "no answer yet (a sibling session won)"
ALTER TABLE signing_sessions ADD COLUMN signer_outcomes jsonb NOT NULL DEFAULT '{}'::jsonb;

COMMENT ON COLUMN seen_commitments.session_id IS
    'the session of a round-1 commitment, or the one-time id of a commitment shared ahead of time';
