-- A vote row is either the node's own answer (answered) or, for a node that never answered but
-- left something in etcd, that record with the evidence against it.
ALTER TABLE votes ADD COLUMN answered boolean NOT NULL DEFAULT true;
ALTER TABLE voting_rounds ADD COLUMN decision_reason text;
