package io.mpcw.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code ./mpcw up} derives from the layout: thresholds for n nodes, the JVM profile. */
class ClusterLayoutOptionsTest {
  @Test
  void tenNodesVoteSevenAndTheDefaultWalletSignsFiveOfTen() {
    assertThat(ServiceSpec.defaultThreshold(10)).isEqualTo(7);
    assertThat(ServiceSpec.defaultWalletThreshold(10)).isEqualTo(5);
    assertThat(ServiceSpec.defaultThreshold(5)).isEqualTo(4);
    assertThat(ServiceSpec.defaultWalletThreshold(5)).isEqualTo(3);
  }

  @Test
  void theWalletThresholdStaysAboveFAndWithinTheHonestNodesForEveryClusterSize() {
    for (int n = 2; n <= 20; n++) {
      int f = (n - 1) / 3;
      int t = ServiceSpec.defaultWalletThreshold(n);
      assertThat(t).as("n=%d", n).isGreaterThan(f).isLessThanOrEqualTo(n - f).isGreaterThan(1);
    }
  }

  @Test
  void theInfraProcessIsToldTheNodeCountSoEveryNodeGetsItsEtcdUser() {
    Layout tenNodes = new Layout(Path.of("/repo"), Path.of("/home"), 10, 0);

    assertThat(tenNodes.environment()).containsEntry("MPCW_NODES", "10");
    assertThat(tenNodes.nodeIds()).hasSize(10).contains("node-10");
  }

  @Test
  void servicesStartWithC1OnlyUnlessTheThroughputProfileIsAsked() {
    assertThat(Processes.serviceJvmOptions(Map.of())).contains("-XX:TieredStopAtLevel=1");
    assertThat(Processes.serviceJvmOptions(Map.of("MPCW_JVM_PROFILE", "fast-start")))
        .contains("-XX:TieredStopAtLevel=1");
    assertThat(Processes.serviceJvmOptions(Map.of("MPCW_JVM_PROFILE", "throughput")))
        .doesNotContain("TieredStopAtLevel")
        .contains("-Xmx384m");
  }

  @Test
  void explicitJavaOptionsReplaceEveryProfile() {
    assertThat(
            Processes.serviceJvmOptions(
                Map.of("MPCW_JAVA_OPTS", "-Xmx1g", "MPCW_JVM_PROFILE", "throughput")))
        .isEqualTo("-Xmx1g");
  }

  @Test
  void theThroughputProfilesNodesRunOnC1AloneAndTheOrchestratorCompilesSoonerOnEveryTier() {
    Map<String, String> env = Map.of("MPCW_JVM_PROFILE", "throughput");

    assertThat(Processes.serviceJvmOptions(env, "node-service"))
        .isEqualTo(Processes.serviceJvmOptions(env) + " -XX:TieredStopAtLevel=1");
    assertThat(Processes.serviceJvmOptions(env, "orchestrator-service"))
        .isEqualTo(Processes.serviceJvmOptions(env) + " -XX:CompileThresholdScaling=0.25")
        .doesNotContain("TieredStopAtLevel");
    assertThat(Processes.serviceJvmOptions(env, "registry-service"))
        .isEqualTo(Processes.serviceJvmOptions(env));
  }

  @Test
  void aKindsOwnJavaOptionsFollowTheSharedOnesForThatKindAlone() {
    Map<String, String> env =
        Map.of(
            "MPCW_JVM_PROFILE", "throughput",
            "MPCW_JAVA_OPTS_NODE", " -XX:TieredStopAtLevel=4 ",
            "MPCW_JAVA_OPTS_ORCHESTRATOR", "-Xmx512m");

    assertThat(Processes.serviceJvmOptions(env, "node-service"))
        .endsWith("-XX:TieredStopAtLevel=1 -XX:TieredStopAtLevel=4");
    assertThat(Processes.serviceJvmOptions(env, "orchestrator-service"))
        .isEqualTo(Processes.serviceJvmOptions(env) + " -XX:CompileThresholdScaling=0.25 -Xmx512m");
    assertThat(Processes.serviceJvmOptions(env, "registry-service"))
        .isEqualTo(Processes.serviceJvmOptions(env));
  }

  @Test
  void explicitJavaOptionsAreWhatEveryKindRunsWithBeforeItsOwn() {
    Map<String, String> env = Map.of("MPCW_JAVA_OPTS", "-Xmx1g", "MPCW_JVM_PROFILE", "throughput");

    assertThat(Processes.serviceJvmOptions(env, "node-service")).isEqualTo("-Xmx1g");
    assertThat(Processes.serviceJvmOptions(Map.of(), "node-service"))
        .isEqualTo(Processes.serviceJvmOptions(Map.of()));
  }

  @Test
  void anUnknownJvmProfileIsRefusedByName() {
    assertThatThrownBy(() -> Processes.serviceJvmOptions(Map.of("MPCW_JVM_PROFILE", "turbo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("turbo");
  }
}
