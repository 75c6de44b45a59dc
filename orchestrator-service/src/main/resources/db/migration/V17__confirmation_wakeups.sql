-- The chain follower records the block (height and hash) that included a broadcast payment's
-- transaction. The confirmation stage is then woken when that block is deep enough, instead of
-- every broadcast payment being looked at once per poll interval until it confirms; and a
-- confirmed payment whose block the follower recorded deepens and settles with the followed
-- blocks, instead of one chain request per payment per look.
ALTER TABLE transactions ADD COLUMN included_height bigint;
ALTER TABLE transactions ADD COLUMN included_block text;
CREATE INDEX transactions_included ON transactions (included_height)
    WHERE state = 'broadcasting' AND included_height IS NOT NULL;
-- the per-block wake of payments seen in a block but not yet deep enough
CREATE INDEX transactions_in_a_block ON transactions (id)
    WHERE state = 'broadcasting' AND block_hash IS NOT NULL;
