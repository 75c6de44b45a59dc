package io.mpcw.node.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuLoadTest {
  @Test
  void reportsAPercentageBetweenZeroAndHundred() {
    CpuLoad cpu = new CpuLoad();
    for (int i = 0; i < 3; i++) {
      assertThat(cpu.percent()).isBetween(0.0, 100.0);
    }
  }
}
