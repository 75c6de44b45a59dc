-- Key lifecycle (issue 17): a wallet's shares change over time while its key stays. key_epoch is
-- the epoch the nodes sign in: 0 from the DKG, one more after each committed refresh.
ALTER TABLE wallets ADD COLUMN key_epoch bigint NOT NULL DEFAULT 0 CHECK (key_epoch >= 0);

-- One lifecycle operation (a refresh, or the repair of one participant's lost share: subject) and
-- where it stands. Every state change
-- goes with a row in key_operation_history, in the same database transaction.
CREATE TABLE key_operations (
    id                 uuid        PRIMARY KEY,
    wallet_id          uuid        NOT NULL REFERENCES wallets (id),
    kind               text        NOT NULL CHECK (kind IN ('refresh', 'repair')),
    state              text        NOT NULL
        CHECK (state IN ('voting', 'dealing', 'committing', 'committed', 'rejected', 'aborted')),
    from_epoch         bigint      NOT NULL,
    subject            text        NOT NULL DEFAULT '',
    -- {"votes": {node id -> its signed vote (decision, reason, signature), as the node returned it}}
    votes              jsonb       NOT NULL DEFAULT '{"votes": {}}'::jsonb,
    -- set when dealing ends: the new public key package and {"acks": {node id -> its signed ack}}
    public_key_package bytea,
    acks               jsonb,
    attempts           int         NOT NULL DEFAULT 0,
    reason             text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- the runner that works on it (lease, database clock) and when it is due again
    lease_owner        uuid,
    lease_until        timestamptz,
    next_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (state <> 'committing' OR (public_key_package IS NOT NULL AND acks IS NOT NULL))
);
-- one running operation per wallet: two refreshes of one epoch cannot both commit
CREATE UNIQUE INDEX key_operations_one_running ON key_operations (wallet_id)
    WHERE state IN ('voting', 'dealing', 'committing');
CREATE INDEX key_operations_wallet ON key_operations (wallet_id, created_at DESC);
CREATE INDEX key_operations_due ON key_operations (next_at)
    WHERE state IN ('voting', 'dealing', 'committing');

CREATE TABLE key_operation_history (
    id           bigserial   PRIMARY KEY,
    operation_id uuid        NOT NULL REFERENCES key_operations (id),
    from_state   text,
    to_state     text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    reason       text
);
CREATE INDEX key_operation_history_operation ON key_operation_history (operation_id, id);

CREATE FUNCTION refuse_key_operation_history_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'key_operation_history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER key_operation_history_append_only
    BEFORE UPDATE OR DELETE ON key_operation_history
    FOR EACH ROW EXECUTE FUNCTION refuse_key_operation_history_change();
