package io.mpcw.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding {@code mpcw.pipeline.*} as Spring does at start-up. */
class PipelinePropertiesTest {

  private static PipelineProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("mpcw.pipeline", PipelineProperties.class);
  }

  @Test
  void oneStageTimeoutIsMergedOverTheDefaultsOfTheOthers() {
    PipelineProperties properties = bind(Map.of("mpcw.pipeline.stage-timeouts.signing", "90s"));

    assertThat(properties.timeoutOf(TransactionState.SIGNING)).contains(Duration.ofSeconds(90));
    assertThat(properties.timeoutOf(TransactionState.PENDING)).contains(Duration.ofSeconds(60));
    assertThat(properties.timeoutOf(TransactionState.VOTING)).contains(Duration.ofSeconds(30));
    assertThat(properties.timeoutOf(TransactionState.APPROVED)).contains(Duration.ofSeconds(120));
    assertThat(properties.timeoutOf(TransactionState.SIGNED)).isEmpty();
    assertThat(properties.timeoutOf(TransactionState.BROADCASTING)).isEmpty();
  }

  @Test
  void defaultsGiveEveryStageAWorkerForEachTransactionOfABatch() {
    PipelineProperties properties = bind(Map.of());

    assertThat(properties.batchSize()).isLessThanOrEqualTo(properties.workersPerStage());
    assertThat(properties.stageTimeouts()).hasSize(4);
  }

  @Test
  void refusesAStageTimeoutForAnUnknownState() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.pipeline.stage-timeouts.pendng", "5s")))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("mpcw.pipeline.stage-timeouts");
  }

  @Test
  void refusesAStageTimeoutForSigned() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.pipeline.stage-timeouts.signed", "5s")))
        .isInstanceOf(BindException.class)
        .hasRootCauseMessage(
            "mpcw.pipeline.stage-timeouts.signed: only pending, voting, approved and signing may"
                + " time out");
  }

  @Test
  void refusesAStageTimeoutForBroadcasting() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.pipeline.stage-timeouts.broadcasting", "5s")))
        .isInstanceOf(BindException.class)
        .hasRootCauseMessage(
            "mpcw.pipeline.stage-timeouts.broadcasting: only pending, voting, approved and signing"
                + " may time out");
  }

  @Test
  void refusesAStageTimeoutForATerminalState() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.pipeline.stage-timeouts.failed", "5s")))
        .isInstanceOf(BindException.class)
        .hasRootCauseMessage(
            "mpcw.pipeline.stage-timeouts.failed: only pending, voting, approved and signing may"
                + " time out");
  }

  @Test
  void refusesAZeroStageTimeout() {
    assertThatThrownBy(() -> bind(Map.of("mpcw.pipeline.stage-timeouts.voting", "0s")))
        .isInstanceOf(BindException.class)
        .hasRootCauseMessage("mpcw.pipeline.stage-timeouts.voting must be positive");
  }

  @Test
  void refusesABatchLargerThanTheStageWorkers() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "mpcw.pipeline.batch-size", "32",
                        "mpcw.pipeline.workers-per-stage", "16")))
        .isInstanceOf(BindException.class)
        .hasRootCauseMessage(
            "mpcw.pipeline.batch-size must be between 1 and workers-per-stage (16)");
  }
}
