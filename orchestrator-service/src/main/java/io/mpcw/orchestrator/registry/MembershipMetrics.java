package io.mpcw.orchestrator.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * {@code orchestration_membership_source{source}} (1 for the source of the last node list read,
 * else 0), {@code orchestration_membership_peer_queries_total{outcome}} (nodes asked for their
 * list) and {@code orchestration_membership_entries_refused_total{reason}} (reported nodes left
 * out, e.g. a certificate not of the cluster CA).
 */
@Component
public class MembershipMetrics {
  private final MeterRegistry registry;
  private final AtomicReference<MembershipSource> source =
      new AtomicReference<>(MembershipSource.REGISTRY);

  public MembershipMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (MembershipSource each : MembershipSource.values()) {
      Gauge.builder("orchestration_membership_source", source, s -> s.get() == each ? 1 : 0)
          .description("1 for where the node list in use comes from (registry, peers, stored)")
          .tag("source", each.tag())
          .register(registry);
    }
  }

  void source(MembershipSource current) {
    source.set(current);
  }

  public MembershipSource source() {
    return source.get();
  }

  /**
   * @param outcome {@code ok}, {@code malformed_reply} or a transport failure kind
   */
  public void peerQuery(String outcome) {
    Counter.builder("orchestration_membership_peer_queries_total")
        .description("Nodes asked for their peer list while the registry was down, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void refused(String reason) {
    Counter.builder("orchestration_membership_entries_refused_total")
        .description(
            "Nodes reported by nodes and left out: untrusted_issuer, name_mismatch, expired,"
                + " not_yet_valid, invalid, missing_certificate, unreadable_certificate,"
                + " not_a_node, bad_address")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
