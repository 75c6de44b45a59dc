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
  record Advance(TransactionState to, String reason, Runnable effect, Duration firstLook)
      implements StageOutcome {
    public Advance(TransactionState to, String reason) {
      this(to, reason, () -> {});
    }

    public Advance(TransactionState to, String reason, Runnable effect) {
      this(to, reason, effect, Duration.ZERO);
    }

    /**
     * The same move, with the new state's stage looking at the transaction only after {@code after}
     * (an event wakes it earlier): for work that waits on something the move does not bring.
     */
    public Advance firstLookAfter(Duration after) {
      return new Advance(to, reason, effect, after);
    }

    /** The same move, running {@code first} before its effect, in its database transaction. */
    public Advance withEarlierEffect(Runnable first) {
      return new Advance(
          to,
          reason,
          () -> {
            first.run();
            effect.run();
          },
          firstLook);
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
