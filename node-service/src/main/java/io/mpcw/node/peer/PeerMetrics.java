package io.mpcw.node.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.types.cluster.NodeStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Membership and peer-exchange metrics: {@code node_membership_mode{mode}} (1 for the current mode,
 * else 0), {@code node_peers{status}} (known nodes, this one included), {@code
 * node_peer_exchanges_total{direction,outcome}} and {@code
 * node_peer_entries_refused_total{reason}}.
 */
public final class PeerMetrics {
  /** An exchange this node started. */
  static final String OUT = "out";

  /** An exchange another node or the orchestrator started. */
  static final String IN = "in";

  private final MeterRegistry registry;
  private final Map<String, Counter> exchanges = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

  public PeerMetrics(MeterRegistry registry, ClusterMembership membership) {
    this.registry = registry;
    for (ClusterMembership.Mode mode : ClusterMembership.Mode.values()) {
      Gauge.builder("node.membership.mode", membership, m -> m.mode() == mode ? 1 : 0)
          .description("1 for where the membership comes from now (registry or peer), else 0")
          .tag("mode", mode.tag())
          .register(registry);
    }
    for (NodeStatus status : NodeStatus.values()) {
      Gauge.builder("node.peers", membership, m -> m.countByStatus().get(status))
          .description("Cluster nodes this node knows, itself included, by liveness")
          .tag("status", status.wireName())
          .register(registry);
    }
  }

  /**
   * @param outcome {@code ok}, {@code malformed_reply}, a transport failure kind ({@code timeout},
   *     {@code unreachable}, {@code remote_error}, ...) or, for served requests, a refusal code
   */
  void exchange(String direction, String outcome) {
    exchanges
        .computeIfAbsent(
            direction + "/" + outcome,
            key ->
                Counter.builder("node.peer.exchanges")
                    .description("Peer-list exchanges, by direction and outcome")
                    .tag("direction", direction)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  /** A reported node left out of the merge, by reason. */
  void refused(String reason) {
    refusals
        .computeIfAbsent(
            reason,
            key ->
                Counter.builder("node.peer.entries.refused")
                    .description(
                        "Peer-list entries refused: untrusted_issuer, name_mismatch, expired,"
                            + " not_yet_valid, invalid, missing_certificate,"
                            + " unreadable_certificate, not_a_node, bad_address,"
                            + " too_many_entries")
                    .tag("reason", key)
                    .register(registry))
        .increment();
  }
}
