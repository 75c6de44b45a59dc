package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One node as the registry reports it. */
public record NodeView(
    @JsonProperty("node_id") String nodeId,
    @JsonProperty("quic_address") String quicAddress,
    @JsonProperty("management_url") String managementUrl,
    @JsonProperty("status") NodeStatus status,
    @JsonProperty("last_heartbeat") Instant lastHeartbeat,
    @JsonProperty("seconds_since_heartbeat") long secondsSinceHeartbeat,
    @JsonProperty("cpu_load") double cpuLoad,
    @JsonProperty("in_flight_sessions") int inFlightSessions,
    @JsonProperty("version") String version,
    @JsonProperty("certificate") String certificate) {}
