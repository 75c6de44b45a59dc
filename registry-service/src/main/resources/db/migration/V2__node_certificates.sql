-- The certificate a node proved it holds when it registered (PEM); served with the node list so
-- the orchestrator and peers can verify what the node signs (they check it against the CA).
ALTER TABLE nodes ADD COLUMN certificate text;
