package io.mpcw.orchestrator.pipeline;

import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;

/**
 * What a stage decided: move on (with database writes that commit with the move), or look later.
 */
public sealed interface StageOutcome {

  /**
   * Move to {@code to}. {@code effect} runs in the same database transaction as the state change,
   * so its rows exist if and only if the move happened.
   */
  record Advance(TransactionState to, String reason, Runnable effect) implements StageOutcome {
    public Advance(TransactionState to, String reason) {
      this(to, reason, () -> {});
    }
  }

  /** Not finished: release the claim and look again after {@code after}. */
  record Retry(Duration after, String note) implements StageOutcome {}
}
