package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NodeLatenciesTest {
  private static final long MS = 1_000_000;
  private final AtomicLong now = new AtomicLong();
  private final NodeLatencies latencies = new NodeLatencies(Duration.ofSeconds(30), now::get);

  @Test
  void aSignerQuickToVoteButSlowToSignIsScoredByItsSigningWhileThatIsRecent() {
    latencies.observeSigning("node-5", 2_000 * MS);
    for (int vote = 0; vote < 50; vote++) {
      latencies.observe("node-5", 5 * MS);
      latencies.observe("node-1", 5 * MS);
    }

    assertThat(latencies.snapshot().get("node-5")).isEqualTo(2_000.0);
    assertThat(latencies.snapshot().get("node-1"))
        .isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void aSignerFoundSlowIsScoredByItsVotesAgainOnceItsSigningSampleIsOlderThanTheMemory() {
    latencies.observeSigning("node-5", 2_000 * MS);
    for (int vote = 0; vote < 50; vote++) {
      latencies.observe("node-5", 5 * MS);
    }
    now.addAndGet(Duration.ofSeconds(31).toNanos());

    assertThat(latencies.snapshot().get("node-5")).isLessThan(10.0);
  }

  @Test
  void aStaleSigningAverageStartsAfreshFromTheNextSigningSample() {
    latencies.observeSigning("node-5", 2_000 * MS);
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    latencies.observeSigning("node-5", 20 * MS);

    assertThat(latencies.snapshot().get("node-5")).isEqualTo(20.0);
  }

  @Test
  void signingSamplesAverageWithWeightThreeTenths() {
    latencies.observeSigning("node-2", 10 * MS);
    latencies.observeSigning("node-2", 20 * MS);

    assertThat(latencies.snapshot().get("node-2")).isEqualTo(10 * 0.7 + 20 * 0.3);
  }

  @Test
  void theTypicalSigningRoundTripIsTheMedianOfTheNodesRecentSigningAverages() {
    latencies.observeSigning("node-1", 100 * MS);
    latencies.observeSigning("node-2", 900 * MS);
    latencies.observeSigning("node-3", 1_000 * MS);
    latencies.observeSigning("node-4", 1_100 * MS);
    latencies.observeSigning("node-5", 30_000 * MS);

    assertThat(latencies.typicalSigning()).contains(Duration.ofMillis(1_000));
  }

  @Test
  void ofAnEvenNumberOfNodesTheTypicalSigningRoundTripIsTheLowerMiddle() {
    latencies.observeSigning("node-1", 100 * MS);
    latencies.observeSigning("node-2", 5_000 * MS);

    assertThat(latencies.typicalSigning()).contains(Duration.ofMillis(100));
  }

  @Test
  void withoutRecentSigningSamplesTheTypicalRoundTripIsTheMedianOfTheGeneralAverages() {
    latencies.observeSigning("node-1", 2_000 * MS);
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    latencies.observe("node-2", 40 * MS);
    latencies.observe("node-3", 60 * MS);

    assertThat(latencies.typicalSigning()).contains(Duration.ofMillis(60));
  }

  @Test
  void withoutAnyAnswerThereIsNoTypicalSigningRoundTrip() {
    assertThat(latencies.typicalSigning()).isEmpty();
  }
}
