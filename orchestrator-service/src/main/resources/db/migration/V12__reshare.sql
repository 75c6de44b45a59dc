-- Reshare (issue 17): a wallet's key moves to a new set of participants and/or a new threshold,
-- same group key, next epoch. The operation keeps where it goes (new_threshold, new_participants in
-- FROST identifier order) and where it came from (old_participants: the nodes told to erase their
-- share at the commit once the wallet row has moved on).
ALTER TABLE key_operations DROP CONSTRAINT key_operations_kind_check;
ALTER TABLE key_operations ADD CONSTRAINT key_operations_kind_check
    CHECK (kind IN ('refresh', 'repair', 'reshare'));
ALTER TABLE key_operations
    ADD COLUMN new_threshold    int,
    ADD COLUMN new_participants text[],
    ADD COLUMN old_participants text[];
ALTER TABLE key_operations ADD CONSTRAINT key_operations_reshare_has_target CHECK (
    kind <> 'reshare' OR (new_threshold >= 2 AND new_participants IS NOT NULL
                          AND cardinality(new_participants) >= new_threshold
                          AND old_participants IS NOT NULL));
