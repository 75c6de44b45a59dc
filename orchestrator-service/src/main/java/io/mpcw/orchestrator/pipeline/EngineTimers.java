package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer thread of a {@link PipelineEngine}: renews the leases of the claims the engine
 * holds, sweeps expired leases, and marks a state again when a retry in it is due. Apart from the
 * engine because none of it needs the dispatcher.
 *
 * <p>A live engine renews every third of the lease, so a lease runs out only when its engine died
 * or lost the database for longer than the lease: work that outlives the lease (a signing round on
 * slow nodes, a claim waiting for a worker) is neither handled twice nor taken over with its stage
 * timeout started again, which would let it run past its timeout for ever.
 */
final class EngineTimers {
  private static final Logger log = LoggerFactory.getLogger(EngineTimers.class);

  private final ScheduledExecutorService timer;
  private final WorkClaims claims;
  private final OrchestrationMetrics metrics;
  private final List<TransactionState> states;
  private final Consumer<TransactionState> workIn;
  private final Supplier<Map<String, UUID>> held;
  private final Duration lease;

  EngineTimers(
      String owner,
      PipelineProperties properties,
      WorkClaims claims,
      OrchestrationMetrics metrics,
      List<TransactionState> states,
      Consumer<TransactionState> workIn,
      Supplier<Map<String, UUID>> held) {
    this.claims = claims;
    this.metrics = metrics;
    this.states = states;
    this.workIn = workIn;
    this.held = held;
    this.lease = properties.leaseDuration();
    timer =
        Executors.newSingleThreadScheduledExecutor(StageWorkers.daemon("pipeline-timer-" + owner));
    long renewEvery = Math.max(1, lease.toMillis() / 3);
    timer.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
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

  private void renew() {
    Map<String, UUID> claimsHeld = held.get();
    if (claimsHeld.isEmpty()) {
      return;
    }
    try {
      claims.renew(claimsHeld, lease);
    } catch (RuntimeException e) {
      // the leases run out if this goes on for a whole lease: the work is then another engine's
      log.warn("renewing {} leases failed: {}", claimsHeld.size(), e.toString());
    }
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
