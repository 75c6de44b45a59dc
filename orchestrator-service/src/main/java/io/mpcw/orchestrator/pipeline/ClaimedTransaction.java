package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.Transaction;
import java.time.Duration;
import java.time.Instant;

/**
 * A transaction this engine holds a lease on.
 *
 * @param leaseToken unique to this claim; a state change is applied only while it still holds
 * @param claimedAt the database clock when the claim was made
 */
public record ClaimedTransaction(Transaction tx, String leaseToken, Instant claimedAt) {

  public Duration timeInState() {
    return Duration.between(tx.stateEnteredAt(), claimedAt);
  }
}
