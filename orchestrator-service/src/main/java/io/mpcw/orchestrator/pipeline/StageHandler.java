package io.mpcw.orchestrator.pipeline;

import io.mpcw.types.transaction.TransactionState;

/**
 * The work of one stage. The engine calls it for each claimed transaction in {@link #stage()},
 * outside any database transaction, and applies the outcome it returns. It must be safe to run
 * again for the same transaction: after a crash the next engine simply calls it once more.
 */
public interface StageHandler {
  TransactionState stage();

  StageOutcome handle(ClaimedTransaction claim);

  /**
   * Whether the engine may fail this transaction for its stage timeout now. A stage whose side
   * effect may already have happened (a signing session that may be complete in etcd) answers false
   * until it has settled that, so a timeout never hides a signature that exists.
   */
  default boolean mayTimeOut(ClaimedTransaction claim) {
    return true;
  }
}
