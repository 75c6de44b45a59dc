package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A place in this replica's pending stage, reserved for a payment the API is about to store: the
 * payment's INSERT takes the claim ({@link #claim}), and once it commits the stage starts here with
 * the stored row, with no wake-up and no claim statement. The place is used by {@link
 * #startOnceCommitted} or freed by {@link #giveBack}, exactly one of them.
 */
public final class NewPaymentPlace {
  private final StateTransitions.NextClaim claim;
  private final OutcomeApplication.Place place;

  NewPaymentPlace(StateTransitions.NextClaim claim, OutcomeApplication.Place place) {
    this.claim = claim;
    this.place = place;
  }

  /** The claim the INSERT writes into the new row. */
  public StateTransitions.NextClaim claim() {
    return claim;
  }

  /**
   * {@code tx} was stored with the claim in the current database transaction: the pending stage
   * starts on it after the commit, and the place is freed if the transaction rolls back.
   */
  public void startOnceCommitted(TransactionRecord tx) {
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED) {
              place.start(
                  new ClaimedTransaction(
                      tx, claim.token(), tx.stateEnteredAt(), tx.stateEnteredAt()));
            } else {
              place.giveBack();
            }
          }
        });
  }

  /** Nothing was stored with the claim: the place is free again. */
  public void giveBack() {
    place.giveBack();
  }
}
