-- A confirmed payment is followed until its transaction is settled (mpcw.chain.settled-confirmations
-- deep); until then a reorganisation can send it back to broadcasting. The partial index holds only
-- the confirmed payments still followed, so the watch costs nothing for the settled history.
ALTER TABLE transactions ADD COLUMN settled_at timestamptz;
CREATE INDEX transactions_unsettled ON transactions (confirmed_at)
    WHERE state = 'confirmed' AND settled_at IS NULL;

-- A payment submitted as a PSBT (POST /api/v1/transactions {"psbt": ...}): the PSBT as received.
-- The build stage spends exactly its inputs and pays exactly its outputs instead of choosing coins.
ALTER TABLE transactions ADD COLUMN psbt bytea;
