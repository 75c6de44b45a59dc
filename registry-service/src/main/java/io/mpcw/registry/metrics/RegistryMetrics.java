package io.mpcw.registry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.types.cluster.NodeStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Registry meters: {@code registry_nodes{status}} (all three series always present, so a dashboard
 * shows 0 rather than a gap) and {@code registry_heartbeats_total{outcome}}.
 */
@Component
public class RegistryMetrics {
  private final Map<NodeStatus, AtomicLong> nodes = new EnumMap<>(NodeStatus.class);
  private final Counter heartbeatsAccepted;
  private final Counter heartbeatsUnknown;

  public RegistryMetrics(MeterRegistry registry) {
    for (NodeStatus status : NodeStatus.values()) {
      AtomicLong count = new AtomicLong();
      nodes.put(status, count);
      Gauge.builder("registry.nodes", count, AtomicLong::doubleValue)
          .description("Registered nodes by liveness status, as of the last sweep")
          .tag("status", status.wireName())
          .register(registry);
    }
    heartbeatsAccepted = heartbeats(registry, "accepted");
    heartbeatsUnknown = heartbeats(registry, "unknown_node");
  }

  private static Counter heartbeats(MeterRegistry registry, String outcome) {
    return Counter.builder("registry.heartbeats")
        .description("Heartbeats received, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  public void heartbeat(boolean accepted) {
    (accepted ? heartbeatsAccepted : heartbeatsUnknown).increment();
  }

  /** Replaces the node counts; a status missing from {@code counts} has no nodes. */
  public void nodeCounts(Map<NodeStatus, Long> counts) {
    nodes.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
  }
}
