package io.mpcw.registry.liveness;

import static io.mpcw.types.cluster.NodeStatus.ACTIVE;
import static io.mpcw.types.cluster.NodeStatus.DEAD;
import static io.mpcw.types.cluster.NodeStatus.SUSPECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessPolicyTest {
  private final LivenessPolicy policy =
      new LivenessPolicy(Duration.ofSeconds(10), Duration.ofSeconds(15));
  private final Instant beat = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void statusFollowsTheSilenceThresholds() {
    assertThat(policy.statusAfter(Duration.ofMillis(9_999))).isEqualTo(ACTIVE);
    assertThat(policy.statusAfter(Duration.ofSeconds(10))).isEqualTo(SUSPECT);
    assertThat(policy.statusAfter(Duration.ofMillis(14_999))).isEqualTo(SUSPECT);
    assertThat(policy.statusAfter(Duration.ofSeconds(15))).isEqualTo(DEAD);
  }

  @Test
  void decidesOnlyMovesTowardsDead() {
    assertThat(policy.decide(ACTIVE, beat, beat.plusSeconds(11))).contains(SUSPECT);
    assertThat(policy.decide(ACTIVE, beat, beat.plusSeconds(20))).contains(DEAD);
    assertThat(policy.decide(SUSPECT, beat, beat.plusSeconds(15))).contains(DEAD);
    assertThat(policy.decide(SUSPECT, beat, beat.plusSeconds(12))).isEmpty();
    assertThat(policy.decide(DEAD, beat, beat.plusSeconds(30))).isEmpty();
  }

  @Test
  void neverRevivesANodeWithoutAHeartbeat() {
    // a replica whose clock lags must not undo another replica's verdict
    assertThat(policy.decide(DEAD, beat, beat.plusSeconds(1))).isEmpty();
    assertThat(policy.decide(SUSPECT, beat, beat.minusSeconds(5))).isEmpty();
  }
}
