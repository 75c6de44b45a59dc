-- The last good node list (from the registry, or from the nodes while the registry was down), so an
-- orchestrator restarted during a registry outage still knows where the nodes are. One row per node;
-- the whole list is replaced at once.
CREATE TABLE cluster_membership (
    node_id       text             PRIMARY KEY,
    quic_address  text,
    certificate   text,
    status        text             NOT NULL CHECK (status IN ('active', 'suspect', 'dead')),
    cpu_load      double precision NOT NULL DEFAULT 0,
    last_seen     timestamptz,
    source        text             NOT NULL CHECK (source IN ('registry', 'peers')),
    saved_at      timestamptz      NOT NULL DEFAULT now()
);
