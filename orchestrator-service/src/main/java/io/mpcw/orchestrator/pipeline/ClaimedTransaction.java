package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.TransactionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A transaction this engine holds a lease on.
 *
 * @param leaseToken unique to this claim; a state change is applied only while it still holds
 * @param claimedAt the database clock when the claim was made
 * @param workStartedAt the database clock when a stage first claimed it in its current state
 * @param handedOver what the move into this state wrote besides the row's own columns ({@link
 *     io.mpcw.orchestrator.transaction.RowChange#handOver}), when the move handed this claim over
 *     in process; empty for a claim taken from the database
 * @param tookOver whether the claim took the work over from a lease that ran out (another engine's
 *     that died, or was cut off from the database for a whole lease)
 */
public record ClaimedTransaction(
    TransactionRecord tx,
    String leaseToken,
    Instant claimedAt,
    Instant workStartedAt,
    Optional<Object> handedOver,
    boolean tookOver) {

  public ClaimedTransaction(
      TransactionRecord tx, String leaseToken, Instant claimedAt, Instant workStartedAt) {
    this(tx, leaseToken, claimedAt, workStartedAt, Optional.empty(), false);
  }

  public ClaimedTransaction(
      TransactionRecord tx,
      String leaseToken,
      Instant claimedAt,
      Instant workStartedAt,
      Optional<Object> handedOver) {
    this(tx, leaseToken, claimedAt, workStartedAt, handedOver, false);
  }

  /** What the move handed over, if it is a {@code type}. */
  public <T> Optional<T> handedOver(Class<T> type) {
    return handedOver.filter(type::isInstance).map(type::cast);
  }

  /** Since the transaction entered its state, queueing included (what the metrics report). */
  public Duration timeInState() {
    return Duration.between(tx.stateEnteredAt(), claimedAt);
  }

  /** Since the stage first took the transaction up: what its timeout limits. */
  public Duration timeWorking() {
    return Duration.between(workStartedAt, claimedAt);
  }
}
