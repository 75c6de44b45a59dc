package io.mpcw.orchestrator.signing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's own recent QUIC round trip to each node (EWMA), for choosing signers.
 *
 * <p>Two averages per node: one over every answered request (votes as well), and one over signing
 * requests only. A node can be quick to vote and slow to sign (a loaded or faulty signer); were the
 * two mixed, each payment's fast vote would pull a slow signer's score back down and it would be
 * chosen again and again. So signers are chosen by their signing average while it is recent, and by
 * the general one once it is older than {@code mpcw.signing.signer-latency-memory}: a signer that
 * was slow is tried again now and then, and its next answer (or silence) is a fresh sample.
 *
 * <p>Failures are not samples: a node that failed is left out of the payment's next attempts
 * instead. A signer still silent when a sibling session won is a sample of the time it had been
 * waited for (a lower bound), so a slow signer stops being chosen first.
 */
@Component
public class NodeLatencies {
  private static final double WEIGHT = 0.3;

  private record Signing(double millis, long atNanos) {}

  private final Map<String, Double> millis = new ConcurrentHashMap<>();
  private final Map<String, Signing> signing = new ConcurrentHashMap<>();
  private final long memoryNanos;
  private final LongSupplier clock;

  @Autowired
  public NodeLatencies(SigningProperties properties) {
    this(properties.signerLatencyMemory(), System::nanoTime);
  }

  /** With every default (as a unit test or a tool would use it). */
  public NodeLatencies() {
    this(Duration.ofSeconds(30), System::nanoTime);
  }

  NodeLatencies(Duration memory, LongSupplier clock) {
    this.memoryNanos = memory.toNanos();
    this.clock = clock;
  }

  /** Any answered request to the node: a vote, a DKG message, a signing request. */
  public void observe(String nodeId, long nanos) {
    millis.merge(nodeId, nanos / 1e6, NodeLatencies::average);
  }

  /** An answered signing request, or the lower bound of one never answered. */
  public void observeSigning(String nodeId, long nanos) {
    observe(nodeId, nanos);
    long now = clock.getAsLong();
    double ms = nanos / 1e6;
    signing.merge(
        nodeId,
        new Signing(ms, now),
        (old, fresh) -> new Signing(average(recent(old, now) ? old.millis() : ms, ms), now));
  }

  /** Milliseconds per node, as signers are chosen: the signing average while recent. */
  public Map<String, Double> snapshot() {
    long now = clock.getAsLong();
    Map<String, Double> view = new HashMap<>(millis);
    signing.forEach(
        (node, s) -> {
          if (recent(s, now)) {
            view.put(node, s.millis());
          }
        });
    return Map.copyOf(view);
  }

  /**
   * The cluster's typical recent signing round trip: the median of the nodes' recent signing
   * averages, else (none recent) of their general averages; empty before any answer. The median, so
   * that one slow or silent node (whose waited-for time counts as a sample) does not set it.
   */
  Optional<Duration> typicalSigning() {
    long now = clock.getAsLong();
    List<Double> recent =
        signing.values().stream().filter(s -> recent(s, now)).map(Signing::millis).toList();
    return lowerMedian(recent.isEmpty() ? List.copyOf(millis.values()) : recent)
        .map(ms -> Duration.ofNanos(Math.round(ms * 1e6)));
  }

  /** The lower of the two middle values for an even count: one slow node of two does not count. */
  private static Optional<Double> lowerMedian(List<Double> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    List<Double> sorted = values.stream().sorted().toList();
    return Optional.of(sorted.get((sorted.size() - 1) / 2));
  }

  private boolean recent(Signing s, long now) {
    return now - s.atNanos() <= memoryNanos;
  }

  private static double average(double old, double now) {
    return old * (1 - WEIGHT) + now * WEIGHT;
  }
}
