package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCpuTest {
  private static ClusterCpu.Snapshot at(double seconds, Map<String, Long> ticks) {
    return new ClusterCpu.Snapshot((long) (seconds * 1e9), ticks);
  }

  @Test
  void theLoadIsTheWindowsCpuMinusTheIdleRateOverTheWindow() {
    // idle: 0.5 CPU s in 5 s = 0.1/s; window 10 s: 4.0 CPU s, so 3.0 s for the load
    List<ClusterCpu.Usage> usage =
        ClusterCpu.usage(
            at(0, Map.of("orchestrator", 100L)),
            at(5, Map.of("orchestrator", 150L)),
            at(10, Map.of("orchestrator", 200L)),
            at(20, Map.of("orchestrator", 600L)));

    assertThat(usage).hasSize(1);
    ClusterCpu.Usage u = usage.get(0);
    assertThat(u.idlePerSecond()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(u.window()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(u.load()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  /** node-1's usage over a window of 100 → 300 ticks in which its JIT ticks went as given. */
  private static ClusterCpu.Usage nodeWithJit(long jitFrom, long jitTo) {
    return ClusterCpu.usage(
            at(0, Map.of("node-1", 0L)),
            at(1, Map.of("node-1", 0L)),
            new ClusterCpu.Snapshot(
                1_000_000_000L, Map.of("node-1", 100L), Map.of("node-1", jitFrom)),
            new ClusterCpu.Snapshot(
                2_000_000_000L, Map.of("node-1", 300L), Map.of("node-1", jitTo)))
        .get(0);
  }

  @Test
  void theJitShareIsTheCompilerThreadsTicksInTheWindow() {
    ClusterCpu.Usage usage = nodeWithJit(40, 90);

    assertThat(usage.window()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(usage.jit()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aCompilerThreadThatEndedNeverMakesTheJitShareNegative() {
    assertThat(nodeWithJit(40, 10).jit()).isZero();
  }

  @Test
  void aProcessBusierIdleThanUnderLoadCountsZeroNotLess() {
    List<ClusterCpu.Usage> usage =
        ClusterCpu.usage(
            at(0, Map.of("chain", 0L)),
            at(1, Map.of("chain", 100L)),
            at(1, Map.of("chain", 100L)),
            at(2, Map.of("chain", 110L)));

    assertThat(usage.get(0).load()).isZero();
  }

  @Test
  void aGroupThatAppearsDuringTheWindowCountsFromZero() {
    List<ClusterCpu.Usage> usage =
        ClusterCpu.usage(
            at(0, Map.of()), at(1, Map.of()), at(1, Map.of()), at(2, Map.of("postgres", 30L)));

    assertThat(usage).singleElement().satisfies(u -> assertThat(u.window()).isEqualTo(0.3));
  }

  @Test
  void theOrchestratorComesFirstThenNodesInNumberOrder() {
    List<String> groups =
        new java.util.ArrayList<>(List.of("node-10", "etcd", "node-2", "orchestrator"));
    groups.sort(ClusterCpu::order);

    assertThat(groups).containsExactly("orchestrator", "node-2", "node-10", "etcd");
  }
}
