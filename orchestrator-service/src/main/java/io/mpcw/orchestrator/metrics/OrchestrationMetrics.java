package io.mpcw.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** The pipeline's metrics, by state and stage only (never per transaction). */
@Component
public class OrchestrationMetrics {
  private final MeterRegistry registry;
  private final Map<TransactionState, AtomicLong> byState = new EnumMap<>(TransactionState.class);
  private final Counter created;
  private final Counter refused;

  public OrchestrationMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (TransactionState state : TransactionState.values()) {
      AtomicLong count = new AtomicLong();
      byState.put(state, count);
      Gauge.builder("orchestration_transactions", count, AtomicLong::get)
          .description("Transactions currently in each state")
          .tag("state", state.wireName())
          .register(registry);
    }
    created =
        Counter.builder("orchestration_submissions_total")
            .description("Payments accepted by the API")
            .register(registry);
    refused =
        Counter.builder("orchestration_submissions_refused_total")
            .description("New payments answered 429 because the cluster carried as many as it may")
            .register(registry);
  }

  public void created() {
    created.increment();
  }

  public void refusedBusy() {
    refused.increment();
  }

  public void transition(TransactionState from, TransactionState to, Duration timeInFrom) {
    Counter.builder("orchestration_state_transitions_total")
        .description("State changes applied, by from and to state")
        .tags("from", from.wireName(), "to", to.wireName())
        .register(registry)
        .increment();
    Timer.builder("orchestration_stage_duration_seconds")
        .description("Time a transaction spent in a stage before leaving it")
        .tag("stage", from.wireName())
        .publishPercentileHistogram()
        .register(registry)
        .record(timeInFrom);
  }

  /**
   * The per-state gauge of the states {@code counted}: each set to its count in {@code counts}
   * (none there: 0); the other states keep what they showed.
   */
  public void stateCounts(Map<TransactionState, Long> counts, Set<TransactionState> counted) {
    counted.forEach(state -> byState.get(state).set(counts.getOrDefault(state, 0L)));
  }

  public void leasesExpired(int count) {
    Counter.builder("orchestration_leases_expired_total")
        .description(
            "Claims whose lease ran out before the stage finished (engine died or stalled),"
                + " cleared by the sweep or claimed over")
        .register(registry)
        .increment(count);
  }

  /**
   * A stage's result that was not written because this replica no longer held the payment's lease
   * (it lapsed while the replica was cut off or stalled, and another replica may have moved the
   * payment on) or the payment changed meanwhile: the fence that keeps a late replica from
   * overwriting newer work.
   *
   * @param result what was refused: {@code transition} or {@code retry}
   */
  public void staleResultRefused(TransactionState stage, String result) {
    Counter.builder("orchestration_stale_results_refused_total")
        .description(
            "Stage results not written: the replica's lease was lost or the payment changed")
        .tags("stage", stage.wireName(), "result", result)
        .register(registry)
        .increment();
  }

  /** Claims this replica holds now (taken, outcome not yet written), from the engine. */
  public void claimsHeld(java.util.function.IntSupplier held) {
    Gauge.builder("orchestration_claims_held", held, h -> h.getAsInt())
        .description("Payments this replica has claimed and not yet written an outcome for")
        .strongReference(true)
        .register(registry);
  }

  public void stageError(TransactionState stage) {
    Counter.builder("orchestration_stage_errors_total")
        .description("Stage handler failures that were retried")
        .tag("stage", stage.wireName())
        .register(registry)
        .increment();
  }

  /**
   * Claims taken on payments of a stage: {@code claimed} by the dispatcher's claim statement, or
   * {@code handed_over} by the previous stage's state change (no statement of its own).
   */
  public void claimed(TransactionState stage, String how, int count) {
    Counter.builder("orchestration_claims_total")
        .description("Claims taken per stage: by a claim statement, or handed over by the move")
        .tags("stage", stage.wireName(), "how", how)
        .register(registry)
        .increment(count);
  }

  /** A stage answered "not yet": its claim is given back and the payment looked at later. */
  public void stageRetry(TransactionState stage) {
    Counter.builder("orchestration_stage_retries_total")
        .description("Stage outcomes that gave the claim back to look again later")
        .tag("stage", stage.wireName())
        .register(registry)
        .increment();
  }
}
