package io.mpcw.registry.node;

import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.NodeView;
import java.time.Duration;
import java.time.Instant;

/** A row of {@code nodes}; never leaves the service as is (see {@link #toView}). */
record NodeRecord(
    String nodeId,
    String quicAddress,
    String managementUrl,
    String version,
    double cpuLoad,
    int inFlightSessions,
    Instant registeredAt,
    Instant lastHeartbeat,
    NodeStatus status,
    Instant statusChangedAt,
    String certificatePem) {

  NodeView toView(Instant now) {
    long silentSeconds = Math.max(0, Duration.between(lastHeartbeat, now).toSeconds());
    return new NodeView(
        nodeId,
        quicAddress,
        managementUrl,
        status,
        lastHeartbeat,
        silentSeconds,
        cpuLoad,
        inFlightSessions,
        version,
        certificatePem);
  }
}
