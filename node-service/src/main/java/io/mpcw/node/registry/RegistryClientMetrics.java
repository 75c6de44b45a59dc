package io.mpcw.node.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code node_registry_heartbeats_total{outcome}} (one count per attempt, registration included)
 * and {@code node_registry_reachable} (1 while the registry answers, else 0).
 */
public class RegistryClientMetrics {
  /** How one attempt to talk to the registry ended. */
  public enum Outcome {
    /** heartbeat accepted */
    OK,
    /** (re-)registration accepted */
    REGISTERED,
    /** registry no longer knew the node; it registered again */
    REREGISTERED,
    /** no answer, or a 5xx */
    UNREACHABLE,
    /** the registry refused the request (e.g. wrong token) */
    REJECTED
  }

  private final Map<Outcome, Counter> attempts = new EnumMap<>(Outcome.class);
  private final AtomicInteger reachable = new AtomicInteger();

  public RegistryClientMetrics(MeterRegistry registry) {
    for (Outcome outcome : Outcome.values()) {
      attempts.put(
          outcome,
          Counter.builder("node.registry.heartbeats")
              .description("Attempts to register or heartbeat with the registry, by outcome")
              .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    Gauge.builder("node.registry.reachable", reachable, AtomicInteger::doubleValue)
        .description("1 when the last call reached the registry, 0 when it did not")
        .register(registry);
  }

  void record(Outcome outcome) {
    attempts.get(outcome).increment();
    reachable.set(outcome == Outcome.UNREACHABLE ? 0 : 1);
  }
}
