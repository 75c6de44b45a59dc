package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer thread of a {@link PipelineEngine}: sweeps expired leases, and marks a state again
 * when a retry in it is due. Apart from the engine because neither needs the dispatcher: both only
 * say that a state may have work.
 */
final class EngineTimers {
  private static final Logger log = LoggerFactory.getLogger(EngineTimers.class);

  private final ScheduledExecutorService timer;
  private final WorkClaims claims;
  private final OrchestrationMetrics metrics;
  private final List<TransactionState> states;
  private final Consumer<TransactionState> workIn;

  EngineTimers(
      String owner,
      PipelineProperties properties,
      WorkClaims claims,
      OrchestrationMetrics metrics,
      List<TransactionState> states,
      Consumer<TransactionState> workIn) {
    this.claims = claims;
    this.metrics = metrics;
    this.states = states;
    this.workIn = workIn;
    timer =
        Executors.newSingleThreadScheduledExecutor(StageWorkers.daemon("pipeline-timer-" + owner));
    timer.scheduleWithFixedDelay(
        this::sweep,
        properties.sweepInterval().toMillis(),
        properties.sweepInterval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A retry is due after {@code after}: look then rather than at the next poll. */
  void wakeAfter(TransactionState state, Duration after) {
    try {
      // a little late rather than early: the database clock decides when the row is due
      timer.schedule(() -> workIn.accept(state), after.toMillis() + 5, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      log.debug("engine stopping; {} retry left to the next engine's poll", state.wireName());
    }
  }

  void stop() {
    timer.shutdownNow();
  }

  private void sweep() {
    try {
      int expired = claims.sweepExpired();
      if (expired > 0) {
        metrics.leasesExpired(expired);
        log.info("released {} expired leases", expired);
        states.forEach(workIn);
      }
    } catch (RuntimeException e) {
      log.warn("lease sweep failed: {}", e.toString());
    }
  }
}
