package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides the outcome for one claimed transaction (its stage's answer, or a failure when the stage
 * has worked on it longer than its timeout) and applies it together with its history row, under the
 * claim's lease. Apart from {@link PipelineEngine} because that schedules claims and this is what a
 * claim comes to; a result whose lease was lost is refused here, whatever the scheduling.
 */
final class OutcomeApplication {
  private static final Logger log = LoggerFactory.getLogger(OutcomeApplication.class);

  private final String owner;
  private final Map<TransactionState, StageHandler> handlers;
  private final PipelineProperties properties;
  private final WorkClaims claims;
  private final StateTransitions transitions;
  private final TransactionTemplate database;
  private final OrchestrationMetrics metrics;

  /** Asks the engine to look at a state again once a retry is due. */
  private final BiConsumer<TransactionState, Duration> wakeAfter;

  /** Where a move may hand its new state's claim over to, so it is not claimed again. */
  private final NextStage nextStage;

  /**
   * The engine's room for work in the state a move enters. A place is taken before the move (the
   * UPDATE claims the row only when there is one) and is then either started or given back.
   */
  interface NextStage {
    /**
     * A free place for work in {@code state} now; empty when this engine has no stage for it, no
     * free worker or in-flight place, or work of that stage queued ahead of a new claim.
     */
    Optional<Place> reserve(TransactionState state);
  }

  /** A reserved worker and in-flight place of one stage. */
  interface Place {
    /** Runs the stage for a claim the move took; the place is the claim's from now on. */
    void start(ClaimedTransaction claim);

    /** The move took no claim: the place is free again. */
    void giveBack();
  }

  OutcomeApplication(
      String owner,
      Map<TransactionState, StageHandler> handlers,
      PipelineProperties properties,
      WorkClaims claims,
      StateTransitions transitions,
      TransactionTemplate database,
      OrchestrationMetrics metrics,
      BiConsumer<TransactionState, Duration> wakeAfter,
      NextStage nextStage) {
    this.owner = owner;
    this.handlers = handlers;
    this.properties = properties;
    this.claims = claims;
    this.transitions = transitions;
    this.database = database;
    this.metrics = metrics;
    this.wakeAfter = wakeAfter;
    this.nextStage = nextStage;
  }

  /** Decides and applies the outcome for one claimed transaction. */
  void process(ClaimedTransaction claim) {
    StageOutcome outcome = decide(claim);
    try {
      if (outcome instanceof StageOutcome.Advance advance) {
        advance(
            claim,
            advance.to(),
            row -> {
              advance.columns().accept(row);
              advance.effect().run();
              return advance.reason();
            },
            advance.firstLook());
      } else if (outcome instanceof StageOutcome.AdvanceWith advance) {
        advance(claim, advance.to(), advance.effect(), Duration.ZERO);
      } else if (outcome instanceof StageOutcome.Retry retry) {
        metrics.stageRetry(claim.tx().state());
        if (claims.release(claim, retry.after())) {
          wakeAfter.accept(claim.tx().state(), retry.after());
        } else {
          metrics.staleResultRefused(claim.tx().state(), "retry");
          log.info(
              "retry of {} in {} refused: the lease was lost",
              claim.tx().id(),
              claim.tx().state().wireName());
        }
      }
    } catch (RuntimeException e) {
      // e.g. the database failed mid-transition, or an effect found no coin free: nothing was
      // written; look again soon instead of sitting on the lease until it expires
      log.warn("applying the outcome for {} failed: {}", claim.tx().id(), e.toString());
      try {
        if (claims.release(claim, properties.retryBackoff())) {
          wakeAfter.accept(claim.tx().state(), properties.retryBackoff());
        } else {
          metrics.staleResultRefused(claim.tx().state(), "retry");
        }
      } catch (RuntimeException releaseFailed) {
        log.debug("releasing {} failed; its lease will expire", claim.tx().id());
      }
    }
  }

  /**
   * Runs the effect and the state change in one database transaction. When this engine has room for
   * the new state's stage, the same UPDATE takes that stage's claim and the stage starts here with
   * the moved row: no wake-up, and no second UPDATE to claim it. Without room the row is left
   * unclaimed, and the wake-up (in this replica and, through NOTIFY, in the others) lets whichever
   * engine has room claim it.
   */
  private void advance(
      ClaimedTransaction claim,
      TransactionState to,
      Function<RowChange, String> effect,
      Duration firstLook) {
    // work due later is not handed over: nothing is to be done with it now
    boolean dueLater = firstLook.compareTo(Duration.ZERO) > 0;
    Optional<Place> place = to.isTerminal() || dueLater ? Optional.empty() : nextStage.reserve(to);
    Optional<StateTransitions.NextClaim> next =
        place.map(
            p ->
                new StateTransitions.NextClaim(
                    WorkClaims.newToken(owner), properties.leaseDuration()));
    Optional<TransactionRecord> moved = Optional.empty();
    RowChange row = new RowChange();
    try {
      moved =
          Optional.ofNullable(
                  database.execute(
                      status -> {
                        String reason = effect.apply(row);
                        Optional<TransactionRecord> done =
                            transitions.apply(
                                claim.tx(),
                                to,
                                reason,
                                "engine:" + owner,
                                Optional.of(claim.leaseToken()),
                                next,
                                firstLook,
                                row);
                        if (done.isEmpty()) {
                          status.setRollbackOnly();
                        }
                        return done;
                      }))
              .flatMap(m -> m);
    } finally {
      if (moved.isEmpty()) {
        place.ifPresent(Place::giveBack);
      }
    }
    if (moved.isEmpty()) {
      metrics.staleResultRefused(claim.tx().state(), "transition");
      log.info(
          "transaction {} changed or its lease was lost; {} → {} refused",
          claim.tx().id(),
          claim.tx().state().wireName(),
          to.wireName());
      return;
    }
    if (place.isPresent()) {
      TransactionRecord tx = moved.get();
      place
          .get()
          .start(
              new ClaimedTransaction(
                  tx,
                  next.get().token(),
                  tx.stateEnteredAt(),
                  tx.stateEnteredAt(),
                  row.handedOver()));
    }
  }

  private StageOutcome decide(ClaimedTransaction claim) {
    TransactionState state = claim.tx().state();
    Optional<Duration> timeout = properties.timeoutOf(state);
    StageHandler handler = handlers.get(state);
    try {
      if (timeout.isPresent()
          && claim.timeWorking().compareTo(timeout.get()) >= 0
          && handler.mayTimeOut(claim)) {
        return handler.timedOut(
            claim, state.wireName() + " timed out after " + timeout.get().toSeconds() + " s");
      }
      return handler.handle(claim);
    } catch (RuntimeException e) {
      metrics.stageError(state);
      log.warn(
          "{} stage failed for {}, will retry: {}",
          state.wireName(),
          claim.tx().id(),
          e.toString());
      return new StageOutcome.Retry(properties.retryBackoff(), e.getClass().getSimpleName());
    }
  }
}
