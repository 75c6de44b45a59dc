package io.mpcw.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.types.transaction.TransactionState;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestrationMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OrchestrationMetrics metrics = new OrchestrationMetrics(registry);

  private double gauge(TransactionState state) {
    return registry
        .get("orchestration_transactions")
        .tag("state", state.wireName())
        .gauge()
        .value();
  }

  @Test
  void aCountOfSomeStatesSetsThoseAndLeavesTheOthersAsTheyWere() {
    metrics.stateCounts(
        Map.of(TransactionState.CONFIRMED, 900L, TransactionState.VOTING, 4L),
        EnumSet.allOf(TransactionState.class));
    assertThat(gauge(TransactionState.CONFIRMED)).isEqualTo(900);
    assertThat(gauge(TransactionState.VOTING)).isEqualTo(4);

    // the in-flight states alone: voting is empty now, confirmed was not counted
    metrics.stateCounts(
        Map.of(TransactionState.SIGNING, 2L),
        EnumSet.of(TransactionState.VOTING, TransactionState.SIGNING));

    assertThat(gauge(TransactionState.VOTING)).isZero();
    assertThat(gauge(TransactionState.SIGNING)).isEqualTo(2);
    assertThat(gauge(TransactionState.CONFIRMED)).isEqualTo(900);
  }
}
