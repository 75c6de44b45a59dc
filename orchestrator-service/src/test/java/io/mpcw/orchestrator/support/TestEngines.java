package io.mpcw.orchestrator.support;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pipeline engines for integration tests: the handlers of the stages a test picks, polling fast,
 * with stage timeouts only for those stages (an engine polls every state it has a timeout for).
 */
public record TestEngines(
    List<StageHandler> handlers,
    WorkClaims claims,
    StateTransitions transitions,
    TransactionTemplate database,
    OrchestrationMetrics metrics,
    WorkSignals workSignals) {

  /** Starts an engine named {@code name} for {@code stages}; the caller closes it. */
  public PipelineEngine start(
      String name, Map<TransactionState, Duration> timeouts, TransactionState... stages) {
    return start(name, Duration.ofMillis(20), timeouts, stages);
  }

  /**
   * {@link #start}, polling every state every {@code pollInterval} (after its first poll at start):
   * a long one leaves the engine to its wake-ups alone.
   */
  public PipelineEngine start(
      String name,
      Duration pollInterval,
      Map<TransactionState, Duration> timeouts,
      TransactionState... stages) {
    Set<TransactionState> wanted = Set.of(stages);
    Map<TransactionState, Duration> own = new HashMap<>();
    timeouts.forEach(
        (state, timeout) -> {
          if (wanted.contains(state)) {
            own.put(state, timeout);
          }
        });
    PipelineEngine engine =
        new PipelineEngine(
            name,
            handlers.stream().filter(h -> wanted.contains(h.stage())).toList(),
            new PipelineProperties(
                pollInterval,
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                own,
                ""),
            claims,
            transitions,
            database,
            metrics,
            workSignals);
    engine.start();
    return engine;
  }
}
