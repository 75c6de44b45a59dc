package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.TransactionRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * A transaction this engine holds a lease on.
 *
 * @param leaseToken unique to this claim; a state change is applied only while it still holds
 * @param claimedAt the database clock when the claim was made
 * @param workStartedAt the database clock when a stage first claimed it in its current state
 */
public record ClaimedTransaction(
    TransactionRecord tx, String leaseToken, Instant claimedAt, Instant workStartedAt) {

  /** Since the transaction entered its state, queueing included (what the metrics report). */
  public Duration timeInState() {
    return Duration.between(tx.stateEnteredAt(), claimedAt);
  }

  /** Since the stage first took the transaction up: what its timeout limits. */
  public Duration timeWorking() {
    return Duration.between(workStartedAt, claimedAt);
  }
}
