-- Coins are learnt once per block (ChainFollower) and from the wallet's own change, instead of a
-- UTXO-set scan per payment. The follower's position on the chain, one row:
CREATE TABLE chain_cursor (
    id          int         PRIMARY KEY CHECK (id = 1),
    height      bigint      NOT NULL,
    block_hash  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The payment whose transaction creates the coin (its change): height stays NULL, and the coin is
-- not spendable, until a block confirms it. A payment that fails before broadcast removes its own.
ALTER TABLE utxos ADD COLUMN created_by uuid REFERENCES transactions (id);
CREATE INDEX utxos_created_by ON utxos (created_by) WHERE created_by IS NOT NULL;

-- Coin selection: the largest free confirmed coins of a wallet, locked with SKIP LOCKED.
CREATE INDEX utxos_spendable ON utxos (wallet_id, value_sats DESC, txid, vout)
    WHERE reserved_by IS NULL AND spent_by IS NULL AND height IS NOT NULL;
