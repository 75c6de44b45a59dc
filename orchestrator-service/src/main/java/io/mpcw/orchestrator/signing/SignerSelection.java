package io.mpcw.orchestrator.signing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the t signers of one attempt: healthy, lightly loaded nodes first, as the seeds do (score =
 * cpu% × 0.7 + latency_ms × 0.3, lower is better; ties by node id so the choice is reproducible).
 */
final class SignerSelection {
  /** A participant that could sign now. */
  record Candidate(String nodeId, double cpuPercent, double latencyMs) {
    double score() {
      return cpuPercent * 0.7 + latencyMs * 0.3;
    }
  }

  private SignerSelection() {}

  /** The {@code threshold} best candidates not in {@code excluded}; fewer when too few remain. */
  static List<Candidate> choose(List<Candidate> candidates, Set<String> excluded, int threshold) {
    return candidates.stream()
        .filter(c -> !excluded.contains(c.nodeId()))
        .sorted(Comparator.comparingDouble(Candidate::score).thenComparing(Candidate::nodeId))
        .limit(threshold)
        .toList();
  }

  /**
   * @param cpuPercent the node's CPU load as the registry reports it: percent, 0..100 (the registry
   *     refuses anything else), so a lightly loaded node at 0.8 % scores 0.8, not 80
   */
  static Candidate candidate(String nodeId, double cpuPercent, Map<String, Double> latencies) {
    return new Candidate(nodeId, cpuPercent, latencies.getOrDefault(nodeId, 0.0));
  }
}
