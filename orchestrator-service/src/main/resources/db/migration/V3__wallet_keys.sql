-- Wallet keys come from a DKG among the participant nodes. participants (already there) keeps the
-- FROST identifier order: participants[i] has identifier i (1-based). The orchestrator never sees
-- a secret share; it keeps what every participant reported identically.
ALTER TABLE wallets
    ADD COLUMN status             text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'ready', 'failed')),
    ADD COLUMN status_reason      text,
    ADD COLUMN public_key_package bytea,
    ADD COLUMN dkg_attempts       int         NOT NULL DEFAULT 0,
    ADD COLUMN ready_at           timestamptz,
    -- no DKG for this wallet starts before this time: the lease of a running attempt (so replicas
    -- do not run two at once, and a wallet whose coordinator died is noticed) or a retry's backoff
    ADD COLUMN dkg_next_at        timestamptz;
-- a ready wallet has all its keys
ALTER TABLE wallets ADD CONSTRAINT wallets_ready_has_keys CHECK (
    status <> 'ready' OR (public_key_package IS NOT NULL AND group_public_key IS NOT NULL
                          AND output_key IS NOT NULL AND address IS NOT NULL
                          AND cardinality(participants) >= threshold));
CREATE UNIQUE INDEX wallets_address ON wallets (address) WHERE address IS NOT NULL;
