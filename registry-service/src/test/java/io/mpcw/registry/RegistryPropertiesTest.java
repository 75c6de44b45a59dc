package io.mpcw.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.types.cluster.NodeIdentities;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryPropertiesTest {

  @Test
  void refusesDeadThresholdNotAfterSuspectThreshold() {
    assertThatThrownBy(
            () ->
                new RegistryProperties(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    "node-[0-9]+"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dead-after");
  }

  @Test
  void refusesNonPositiveSweepInterval() {
    assertThatThrownBy(
            () ->
                new RegistryProperties(
                    Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ZERO, "node-[0-9]+"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sweep-interval");
  }

  @Test
  void refusesANodeIdPatternThatIsNotARegularExpression() {
    assertThatThrownBy(
            () ->
                new RegistryProperties(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(1),
                    "node-["))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node-id-pattern");
  }

  @Test
  void acceptsNodeIdsButNeverAServiceName() {
    NodeIdentities ids =
        new RegistryProperties(
                Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(1), "[a-z-]+")
            .nodeIdentities();

    assertThat(ids.isNode("node-a")).isTrue();
    assertThat(ids.isNode("orchestrator")).isFalse();
    assertThat(ids.isNode("registry")).isFalse();
  }
}
