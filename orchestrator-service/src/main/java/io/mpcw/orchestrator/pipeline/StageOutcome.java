package io.mpcw.orchestrator.pipeline;

import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.function.Supplier;

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

  /**
   * Move to {@code to}, with an effect that decides its own writes inside the state change's
   * database transaction (e.g. picks and locks coins there) and returns the history reason. An
   * effect that throws rolls the move back; the stage is then looked at again after the backoff.
   */
  record AdvanceWith(TransactionState to, Supplier<String> effect) implements StageOutcome {}

  /** Not finished: release the claim and look again after {@code after}. */
  record Retry(Duration after, String note) implements StageOutcome {}
}
