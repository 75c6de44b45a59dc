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
        Function<RowChange, String> effect =
            row -> {
              advance.columns().accept(row);
              advance.effect().run();
              return advance.reason();
            };
        Optional<StageOutcome.AdvanceWith> onEntry =
            advance.firstLook().isZero() ? onEntry(claim.tx(), advance.to()) : Optional.empty();
        if (onEntry.isPresent()) {
          try {
            advance(claim, advance.to(), effect, onEntry, Duration.ZERO);
            return;
          } catch (OnEntryFailed e) {
            // nothing was written: stop in the new state, whose stage then works as usual
            log.debug(
                "{} not passed through {}: {}",
                claim.tx().id(),
                advance.to().wireName(),
                e.getCause().toString());
          }
        }
        advance(claim, advance.to(), effect, Optional.empty(), advance.firstLook());
      } else if (outcome instanceof StageOutcome.AdvanceWith advance) {
        advance(claim, advance.to(), advance.effect(), Optional.empty(), Duration.ZERO);
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
   * What the stage of {@code to} would do for this transaction inside the move that enters it, when
   * this engine serves {@code to}: only work whose move out of {@code to} the transition table
   * allows, and never into a terminal state.
   */
  Optional<StageOutcome.AdvanceWith> onEntry(TransactionRecord entering, TransactionState to) {
    StageHandler next = handlers.get(to);
    if (to.isTerminal() || next == null) {
      return Optional.empty();
    }
    try {
      return next.onEntry(entering)
          .filter(onward -> !onward.to().isTerminal() && to.canTransitionTo(onward.to()));
    } catch (RuntimeException e) {
      log.debug("{}: no work on entering {}: {}", entering.id(), to.wireName(), e.toString());
      return Optional.empty();
    }
  }

  /** The work on entering a state failed: the move that included it wrote nothing. */
  private static final class OnEntryFailed extends RuntimeException {
    OnEntryFailed(RuntimeException cause) {
      super(cause);
    }
  }

  /**
   * Runs the effect and the state change in one database transaction. When this engine has room for
   * the new state's stage, the same UPDATE takes that stage's claim and the stage starts here with
   * the moved row: no wake-up, and no second UPDATE to claim it. Without room the row is left
   * unclaimed, and the wake-up (in this replica and, through NOTIFY, in the others) lets whichever
   * engine has room claim it. With {@code onEntry} the new state's own work is done in the same
   * database transaction and the row moves on to the state that work leads to; when that work
   * throws, everything rolls back and {@link OnEntryFailed} says so.
   */
  private void advance(
      ClaimedTransaction claim,
      TransactionState to,
      Function<RowChange, String> effect,
      Optional<StageOutcome.AdvanceWith> onEntry,
      Duration firstLook) {
    TransactionState entered = onEntry.map(StageOutcome.AdvanceWith::to).orElse(to);
    // work due later is not handed over: nothing is to be done with it now
    boolean dueLater = firstLook.compareTo(Duration.ZERO) > 0;
    Optional<Place> place =
        entered.isTerminal() || dueLater ? Optional.empty() : nextStage.reserve(entered);
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
                        // the work on entry first: when it throws, nothing else has run, and the
                        // plain move that follows runs this move's effect for the first time
                        Optional<StateTransitions.Onward> onward =
                            onEntry.map(
                                work -> {
                                  try {
                                    return new StateTransitions.Onward(
                                        work.to(), work.effect().apply(row));
                                  } catch (RuntimeException e) {
                                    throw new OnEntryFailed(e);
                                  }
                                });
                        Optional<Object> handedOver = row.handedOver();
                        String reason = effect.apply(row);
                        // what the entered state's stage reads is what the work on entry wrote
                        handedOver.ifPresent(row::handOver);
                        Optional<TransactionRecord> done =
                            transitions.apply(
                                claim.tx(),
                                to,
                                reason,
                                "engine:" + owner,
                                Optional.of(claim.leaseToken()),
                                next,
                                firstLook,
                                row,
                                onward);
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
