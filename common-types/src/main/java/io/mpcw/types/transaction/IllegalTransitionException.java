package io.mpcw.types.transaction;

/** A state change the transition table does not allow; never applied. */
public final class IllegalTransitionException extends IllegalStateException {
  private final TransactionState from;
  private final TransactionState to;

  public IllegalTransitionException(TransactionState from, TransactionState to) {
    super("transition " + from.wireName() + " → " + to.wireName() + " is not allowed");
    this.from = from;
    this.to = to;
  }

  public TransactionState from() {
    return from;
  }

  public TransactionState to() {
    return to;
  }
}
