package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/v1/cluster/nodes}: a node announcing itself.
 *
 * @param nodeId the node's id, also its certificate CN
 * @param quicAddress where peers and the orchestrator reach its QUIC server, {@code host:port}
 * @param managementUrl base URL of its HTTP/actuator endpoints
 * @param version the node software version
 */
public record NodeRegistration(
    @JsonProperty("node_id") String nodeId,
    @JsonProperty("quic_address") String quicAddress,
    @JsonProperty("management_url") String managementUrl,
    @JsonProperty("version") String version) {}
