package io.mpcw.orchestrator.signing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's own recent QUIC round trip to each node (EWMA over answered vote and signing
 * requests), for choosing signers. Failures are not samples: a node that failed is left out of the
 * payment's next attempts instead, and its score recovers with its next answered vote. A signer
 * still silent when a sibling session won is a sample of the time it had been waited for (a lower
 * bound), so a slow signer stops being chosen first.
 */
@Component
public class NodeLatencies {
  private static final double WEIGHT = 0.3;
  private final Map<String, Double> millis = new ConcurrentHashMap<>();

  public void observe(String nodeId, long nanos) {
    double ms = nanos / 1e6;
    millis.merge(nodeId, ms, (old, now) -> old * (1 - WEIGHT) + now * WEIGHT);
  }

  public Map<String, Double> snapshot() {
    return Map.copyOf(millis);
  }
}
