package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignerSelectionTest {
  @Test
  void scoresCpuPercentAtSevenTenthsAndLatencyMillisAtThreeTenths() {
    SignerSelection.Candidate c = SignerSelection.candidate("node-1", 50.0, Map.of("node-1", 10.0));

    assertThat(c.cpuPercent()).isEqualTo(50.0);
    assertThat(c.score()).isEqualTo(50 * 0.7 + 10 * 0.3);
  }

  @Test
  void aNodeBelowOnePercentCpuIsScoredAsLightlyLoadedNotAsAFraction() {
    Map<String, Double> latency = Map.of();
    List<SignerSelection.Candidate> candidates =
        List.of(
            SignerSelection.candidate("node-1", 0.8, latency),
            SignerSelection.candidate("node-2", 5.0, latency));

    assertThat(candidates.get(0).cpuPercent()).isEqualTo(0.8);
    assertThat(SignerSelection.choose(candidates, Set.of(), 1))
        .extracting(SignerSelection.Candidate::nodeId)
        .containsExactly("node-1");
  }

  @Test
  void picksTheLowestScoresLeavingOutExcludedNodesWithTiesByNodeId() {
    Map<String, Double> latency = Map.of("node-1", 100.0, "node-2", 1.0, "node-3", 1.0);
    List<SignerSelection.Candidate> candidates =
        List.of(
            SignerSelection.candidate("node-1", 10, latency), // 7 + 30 = 37
            SignerSelection.candidate("node-2", 20, latency), // 14 + 0.3
            SignerSelection.candidate("node-3", 20, latency), // 14 + 0.3
            SignerSelection.candidate("node-4", 30, latency), // 21 (never measured: 0 ms)
            SignerSelection.candidate("node-5", 5, latency)); // 3.5

    assertThat(SignerSelection.choose(candidates, Set.of(), 3))
        .extracting(SignerSelection.Candidate::nodeId)
        .containsExactly("node-5", "node-2", "node-3");
    assertThat(SignerSelection.choose(candidates, Set.of("node-5", "node-3"), 3))
        .extracting(SignerSelection.Candidate::nodeId)
        .containsExactly("node-2", "node-4", "node-1");
    assertThat(SignerSelection.choose(candidates, Set.of("node-1", "node-2", "node-3"), 3))
        .hasSize(2);
  }

  @Test
  void latenciesAreAnAverageOfAnsweredRoundTrips() {
    NodeLatencies latencies = new NodeLatencies();
    latencies.observe("node-1", 10_000_000);
    latencies.observe("node-1", 20_000_000);

    assertThat(latencies.snapshot().get("node-1")).isEqualTo(10 * 0.7 + 20 * 0.3);
  }
}
