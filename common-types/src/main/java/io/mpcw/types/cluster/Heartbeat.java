package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /api/v1/cluster/nodes/{node_id}/heartbeat}.
 *
 * @param cpuLoad CPU load in percent, 0 to 100
 * @param inFlightSessions signing/voting sessions the node is working on
 * @param quicAddress a changed QUIC address, or absent to keep the registered one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Heartbeat(
    @JsonProperty("cpu_load") Double cpuLoad,
    @JsonProperty("in_flight_sessions") Integer inFlightSessions,
    @JsonProperty("quic_address") String quicAddress) {}
