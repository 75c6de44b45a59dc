-- One row per registered node. status is written by heartbeats (back to active) and by the
-- liveness sweep (only ever towards dead), each guarded so that replicas can race safely.
CREATE TABLE nodes (
    node_id            text             PRIMARY KEY CHECK (node_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    quic_address       text             NOT NULL,
    management_url     text             NOT NULL,
    version            text             NOT NULL,
    cpu_load           double precision NOT NULL DEFAULT 0 CHECK (cpu_load BETWEEN 0 AND 100),
    in_flight_sessions integer          NOT NULL DEFAULT 0 CHECK (in_flight_sessions >= 0),
    registered_at      timestamptz      NOT NULL,
    last_heartbeat     timestamptz      NOT NULL,
    status             text             NOT NULL CHECK (status IN ('active', 'suspect', 'dead')),
    status_changed_at  timestamptz      NOT NULL
);

-- the sweep looks for nodes that are not dead yet and have been silent too long
CREATE INDEX nodes_status_last_heartbeat ON nodes (status, last_heartbeat);
