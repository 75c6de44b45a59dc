package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.types.transaction.TransactionState;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The work of one stage. The engine calls it for each claimed transaction in {@link #stage()},
 * outside any database transaction, and applies the outcome it returns. It must be safe to run
 * again for the same transaction: after a crash the next engine simply calls it once more.
 */
public interface StageHandler {
  TransactionState stage();

  StageOutcome handle(ClaimedTransaction claim);

  /**
   * Starts what {@link #handle} must wait for (requests to the nodes, say) and returns at once with
   * what completes when it is in; empty when there is nothing to wait for. The engine frees the
   * worker meanwhile and calls {@link #handle} on a stage worker once the wait completes, normally
   * or not; the claim and its lease stay as they are. Called outside any database transaction, and
   * safe to call again for the same transaction, like {@link #handle}.
   */
  default Optional<CompletionStage<?>> awaitFirst(ClaimedTransaction claim) {
    return Optional.empty();
  }

  /**
   * This stage's work for a transaction entering its state, when that work needs nothing outside
   * the database: the engine then does it inside the move that enters the state, so the transaction
   * passes through this state in one database transaction (one commit, one row version, no claim of
   * its own) instead of stopping in it. The history still shows both moves. When the effect throws,
   * the move stops in this state as usual and {@link #handle} takes it from there. Empty (the
   * default) when the work waits on anything else, the network say; called outside any database
   * transaction.
   *
   * @param entering the transaction as the previous stage leaves it
   */
  default Optional<StageOutcome.AdvanceWith> onEntry(TransactionRecord entering) {
    return Optional.empty();
  }

  /**
   * Whether the engine may fail this transaction for its stage timeout now. A stage whose side
   * effect may already have happened (a signing session that may be complete in etcd) answers false
   * until it has settled that, so a timeout never hides a signature that exists.
   */
  default boolean mayTimeOut(ClaimedTransaction claim) {
    return true;
  }

  /**
   * The outcome of a transaction whose stage timeout is up (and {@link #mayTimeOut} said yes):
   * {@code failed} with {@code reason}, unless the stage must first record the end elsewhere, or
   * finds that a decision was already taken there.
   */
  default StageOutcome timedOut(ClaimedTransaction claim, String reason) {
    return new StageOutcome.Advance(TransactionState.FAILED, reason);
  }
}
