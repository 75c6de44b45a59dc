package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a stage decided: move on (with database writes that commit with the move), or look later.
 */
public sealed interface StageOutcome {

  /**
   * Move to {@code to}. {@code effect} runs in the same database transaction as the state change,
   * so its rows exist if and only if the move happened; {@code columns} sets columns of the
   * payment's own row, written by the UPDATE that moves it ({@link RowChange}).
   *
   * @param firstLook the new state's stage is due only this long after the move (zero: at once)
   */
  record Advance(
      TransactionState to,
      String reason,
      Runnable effect,
      Duration firstLook,
      Consumer<RowChange> columns)
      implements StageOutcome {
    public Advance(TransactionState to, String reason) {
      this(to, reason, () -> {});
    }

    public Advance(TransactionState to, String reason, Runnable effect) {
      this(to, reason, effect, Duration.ZERO, row -> {});
    }

    /**
     * The same move, with the new state's stage looking at the transaction only after {@code after}
     * (an event wakes it earlier): for work that waits on something the move does not bring.
     */
    public Advance firstLookAfter(Duration after) {
      return new Advance(to, reason, effect, after, columns);
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
          firstLook,
          columns);
    }

    /** The same move, also setting these columns of the payment's row. */
    public Advance setting(Consumer<RowChange> more) {
      return new Advance(to, reason, effect, firstLook, columns.andThen(more));
    }
  }

  /**
   * Move to {@code to}, with an effect that decides its own writes inside the state change's
   * database transaction (e.g. picks and locks coins there), sets the columns of the payment's row
   * the move writes, and returns the history reason. An effect that throws rolls the move back; the
   * stage is then looked at again after the backoff.
   */
  record AdvanceWith(TransactionState to, Function<RowChange, String> effect)
      implements StageOutcome {}

  /** Not finished: release the claim and look again after {@code after}. */
  record Retry(Duration after, String note) implements StageOutcome {}
}
