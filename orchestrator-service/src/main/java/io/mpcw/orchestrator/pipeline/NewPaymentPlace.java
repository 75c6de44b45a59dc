package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import java.time.Duration;
import java.util.Optional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A place in this replica's pipeline, reserved for a payment the API is about to store: the
 * payment's INSERT takes the pending stage's claim ({@link #claim}). Either the place is in the
 * pending stage; or, when the pending stage has work on entry, in the stage after it: the payment
 * is moved on under that claim in the same database transaction by {@link #startOnceCommitted},
 * whose UPDATE takes the next stage's claim (pass-through). Once the transaction commits the stage
 * starts here with the row, with no wake-up and no claim statement. The place is used by {@link
 * #startOnceCommitted} or freed by {@link #giveBack}, exactly one of them.
 */
public final class NewPaymentPlace {
  private final StateTransitions.NextClaim claim;
  private final OutcomeApplication.Place place;
  private final Optional<PassThrough> passThrough;

  /** The pending stage's work on entry, how its move is made, and the next stage's claim. */
  private record PassThrough(
      StageOutcome.AdvanceWith work,
      StateTransitions transitions,
      String actor,
      StateTransitions.NextClaim next) {}

  NewPaymentPlace(StateTransitions.NextClaim claim, OutcomeApplication.Place place) {
    this(claim, place, Optional.empty());
  }

  private NewPaymentPlace(
      StateTransitions.NextClaim claim,
      OutcomeApplication.Place place,
      Optional<PassThrough> passThrough) {
    this.claim = claim;
    this.place = place;
    this.passThrough = passThrough;
  }

  /**
   * A place in the stage {@code work} leads to, for a payment that passes through pending: stored
   * as pending's claim {@code claim} (so the INSERT wakes no engine), then moved under that claim
   * into {@code work}'s state, taking its claim {@code next}.
   */
  static NewPaymentPlace passingThrough(
      StateTransitions.NextClaim claim,
      StateTransitions.NextClaim next,
      OutcomeApplication.Place place,
      StageOutcome.AdvanceWith work,
      StateTransitions transitions,
      String actor) {
    return new NewPaymentPlace(
        claim, place, Optional.of(new PassThrough(work, transitions, actor, next)));
  }

  /** The claim the INSERT writes into the new row. */
  public StateTransitions.NextClaim claim() {
    return claim;
  }

  /**
   * {@code stored} was inserted in the current database transaction with {@link #claim}: when
   * passing through, moves it on now, in that transaction; its stage starts on it after the commit,
   * and the place is freed if the transaction rolls back.
   *
   * @return the claim its stage will start on: the payment as it is now, and what the move out of
   *     pending wrote when it passed through (the voting round)
   */
  public ClaimedTransaction startOnceCommitted(TransactionRecord stored) {
    ClaimedTransaction claimed;
    if (passThrough.isPresent()) {
      PassThrough through = passThrough.get();
      RowChange row = new RowChange();
      String reason = through.work().effect().apply(row);
      TransactionRecord moved =
          through
              .transitions()
              .apply(
                  stored,
                  through.work().to(),
                  reason,
                  through.actor(),
                  Optional.of(claim.token()),
                  Optional.of(through.next()),
                  Duration.ZERO,
                  row)
              .orElseThrow(
                  () -> new IllegalStateException("a payment stored just now changed: " + stored));
      claimed =
          new ClaimedTransaction(
              moved,
              through.next().token(),
              moved.stateEnteredAt(),
              moved.stateEnteredAt(),
              row.handedOver(),
              false);
    } else {
      claimed =
          new ClaimedTransaction(
              stored, claim.token(), stored.stateEnteredAt(), stored.stateEnteredAt());
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED) {
              place.start(claimed);
            } else {
              place.giveBack();
            }
          }
        });
    return claimed;
  }

  /** Nothing was stored with the claim: the place is free again. */
  public void giveBack() {
    place.giveBack();
  }
}
