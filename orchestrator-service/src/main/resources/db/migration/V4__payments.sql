-- The wallet's coins as last seen on the chain. A coin is reserved by at most one payment, in the
-- same database transaction that moves that payment to signing: two payments never hold it.
CREATE TABLE utxos (
    txid            text        NOT NULL,
    vout            int         NOT NULL CHECK (vout >= 0),
    wallet_id       uuid        NOT NULL REFERENCES wallets (id),
    value_sats      bigint      NOT NULL CHECK (value_sats > 0),
    script_pub_key  bytea       NOT NULL,
    height          bigint,
    reserved_by     uuid        REFERENCES transactions (id),
    spent_by        uuid        REFERENCES transactions (id),
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (txid, vout)
);
CREATE INDEX utxos_free ON utxos (wallet_id, value_sats DESC) WHERE reserved_by IS NULL AND spent_by IS NULL;
CREATE INDEX utxos_reserved_by ON utxos (reserved_by) WHERE reserved_by IS NOT NULL;

-- The transaction built for a payment, and what became of it on the chain.
ALTER TABLE transactions
    ADD COLUMN unsigned_tx       bytea,
    ADD COLUMN prevouts          jsonb,
    ADD COLUMN fee_sats          bigint,
    ADD COLUMN change_sats       bigint,
    ADD COLUMN txid              text,
    ADD COLUMN raw_tx            bytea,
    ADD COLUMN signers           text[],
    ADD COLUMN signing_attempts  int NOT NULL DEFAULT 0,
    ADD COLUMN broadcast_at      timestamptz,
    ADD COLUMN confirmations     int NOT NULL DEFAULT 0,
    ADD COLUMN block_hash        text,
    ADD COLUMN confirmed_at      timestamptz;
CREATE UNIQUE INDEX transactions_txid ON transactions (txid) WHERE txid IS NOT NULL;

-- Every signing attempt: who signed, how it ended, who was at fault.
CREATE TABLE signing_attempts (
    tx_id        uuid        NOT NULL REFERENCES transactions (id),
    attempt      int         NOT NULL,
    session_id   uuid        NOT NULL UNIQUE,
    signers      text[]      NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    outcome      text        NOT NULL,
    culprit      text,
    detail       text,
    PRIMARY KEY (tx_id, attempt)
);

-- Round-1 commitments the coordinator has seen per wallet: a repeated one is refused (RFC 9591
-- §5.1: a nonce reused across two signatures reveals the signer's share).
CREATE TABLE seen_commitments (
    wallet_id          uuid        NOT NULL REFERENCES wallets (id),
    commitment_sha256  bytea       NOT NULL,
    node_id            text        NOT NULL,
    session_id         uuid        NOT NULL,
    seen_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wallet_id, commitment_sha256)
);
