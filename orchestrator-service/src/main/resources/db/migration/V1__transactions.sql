-- Wallets. The key columns are filled by the DKG (a later stage); a wallet without a group key
-- cannot sign yet, but payments to it can be submitted and voted on.
CREATE TABLE wallets (
    id                uuid PRIMARY KEY,
    name              text        NOT NULL UNIQUE,
    threshold         int         NOT NULL CHECK (threshold >= 1),
    participants      text[]      NOT NULL DEFAULT '{}',
    network           text        NOT NULL,
    group_public_key  bytea,
    output_key        bytea,
    address           text,
    is_default        boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX wallets_one_default ON wallets (is_default) WHERE is_default;

CREATE TABLE transactions (
    id                uuid PRIMARY KEY,
    wallet_id         uuid        NOT NULL REFERENCES wallets (id),
    recipient         text        NOT NULL,
    amount_sats       bigint      NOT NULL CHECK (amount_sats BETWEEN 546 AND 2100000000000000),
    fee_rate_sat_vb   numeric(12, 3) NOT NULL CHECK (fee_rate_sat_vb > 0),
    metadata          jsonb,
    state             text        NOT NULL,
    state_reason      text,
    version           bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    state_entered_at  timestamptz NOT NULL,
    -- pipeline scheduling: when the stage handler should look at it next, and who holds it
    next_attempt_at   timestamptz NOT NULL,
    stage_attempts    int         NOT NULL DEFAULT 0,
    lease_owner       text,
    lease_expires_at  timestamptz
);
-- the claim query: due work of one state, oldest first (terminal rows never match)
CREATE INDEX transactions_due ON transactions (state, next_attempt_at)
    WHERE state IN ('pending', 'voting', 'approved', 'signing', 'signed', 'broadcasting');
-- newest-first listing with keyset paging
CREATE INDEX transactions_newest ON transactions (created_at DESC, id DESC);
CREATE INDEX transactions_state_newest ON transactions (state, created_at DESC, id DESC);

-- Append-only: every transition, written in the same database transaction as the state change.
CREATE TABLE transaction_history (
    id          bigserial   PRIMARY KEY,
    tx_id       uuid        NOT NULL REFERENCES transactions (id),
    from_state  text,
    to_state    text        NOT NULL,
    at          timestamptz NOT NULL,
    reason      text,
    actor       text        NOT NULL
);
CREATE INDEX transaction_history_tx ON transaction_history (tx_id, id);

CREATE FUNCTION refuse_history_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'transaction_history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER transaction_history_append_only
    BEFORE UPDATE OR DELETE ON transaction_history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

CREATE TABLE idempotency_keys (
    idempotency_key  text        PRIMARY KEY,
    request_sha256   bytea       NOT NULL,
    tx_id            uuid        NOT NULL REFERENCES transactions (id),
    created_at       timestamptz NOT NULL
);

CREATE TABLE voting_rounds (
    tx_id                uuid        PRIMARY KEY REFERENCES transactions (id),
    threshold            int         NOT NULL,
    total_nodes          int         NOT NULL,
    byzantine_tolerance  int         NOT NULL,
    nodes                text[]      NOT NULL,
    opened_at            timestamptz NOT NULL,
    deadline_at          timestamptz NOT NULL,
    decision             text,
    decided_at           timestamptz
);

CREATE TABLE votes (
    tx_id        uuid        NOT NULL REFERENCES voting_rounds (tx_id),
    node_id      text        NOT NULL,
    decision     text        NOT NULL,
    reason       text,
    digest       text        NOT NULL,
    signature    bytea,
    signed_at    timestamptz,
    received_at  timestamptz NOT NULL,
    evidence     text,
    PRIMARY KEY (tx_id, node_id)
);
