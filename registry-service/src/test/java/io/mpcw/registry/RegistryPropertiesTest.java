package io.mpcw.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryPropertiesTest {

  @Test
  void refusesDeadThresholdNotAfterSuspectThreshold() {
    assertThatThrownBy(
            () ->
                new RegistryProperties(
                    Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dead-after");
  }

  @Test
  void refusesNonPositiveSweepInterval() {
    assertThatThrownBy(
            () ->
                new RegistryProperties(
                    Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sweep-interval");
  }
}
