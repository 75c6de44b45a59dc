package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchConditionsTest {
  private static final String SHARED = "-Xms192m -Xmx384m -XX:+UseSerialGC -Xshare:auto";

  @Test
  void servicesRunningWithTheSameJvmOptionsAreReportedOnce() {
    assertThat(
            BenchConditions.jvmOptionsByService(
                Map.of("orchestrator", SHARED, "nodes", SHARED, "registry", SHARED)))
        .isEqualTo(SHARED);
  }

  @Test
  void nodesRunningWithOptionsOfTheirOwnAreReportedByKind() {
    String nodes = SHARED + " -XX:TieredStopAtLevel=1";

    assertThat(
            BenchConditions.jvmOptionsByService(
                Map.of("orchestrator", SHARED, "nodes", nodes, "registry", SHARED)))
        .isEqualTo("nodes: " + nodes + "; orchestrator: " + SHARED + "; registry: " + SHARED);
  }
}
