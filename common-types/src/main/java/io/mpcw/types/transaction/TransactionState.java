package io.mpcw.types.transaction;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The life cycle of a payment, with the one transition table every state change goes through.
 *
 * <pre>
 * pending → voting → approved → signing → signed → broadcasting ⇄ confirmed
 *             ├→ rejected | aborted_byzantine
 *  any non-terminal → failed;  pending | voting → cancelled
 * </pre>
 *
 * <p>{@code confirmed} is terminal (the payment is done, nothing works on it) with one way back: a
 * chain reorganisation that takes its transaction below the required confirmations returns it to
 * {@code broadcasting}, where it is sent again and followed until it confirms anew.
 */
public enum TransactionState {
  PENDING(false, false),
  VOTING(false, false),
  APPROVED(false, false),
  SIGNING(false, false),
  SIGNED(false, false),
  BROADCASTING(false, false),
  CONFIRMED(true, true),
  REJECTED(true, false),
  FAILED(true, false),
  ABORTED_BYZANTINE(true, false),
  CANCELLED(true, false);

  private static final Map<TransactionState, Set<TransactionState>> SUCCESSORS =
      new EnumMap<>(TransactionState.class);

  static {
    SUCCESSORS.put(PENDING, EnumSet.of(VOTING, FAILED, CANCELLED));
    SUCCESSORS.put(VOTING, EnumSet.of(APPROVED, REJECTED, ABORTED_BYZANTINE, FAILED, CANCELLED));
    SUCCESSORS.put(APPROVED, EnumSet.of(SIGNING, FAILED));
    SUCCESSORS.put(SIGNING, EnumSet.of(SIGNED, FAILED));
    SUCCESSORS.put(SIGNED, EnumSet.of(BROADCASTING, FAILED));
    SUCCESSORS.put(BROADCASTING, EnumSet.of(CONFIRMED, FAILED));
    SUCCESSORS.put(CONFIRMED, EnumSet.of(BROADCASTING)); // a reorg dropped its block
    for (TransactionState state : values()) {
      SUCCESSORS.putIfAbsent(state, EnumSet.noneOf(TransactionState.class));
    }
  }

  private final boolean terminal;
  private final boolean successful;

  TransactionState(boolean terminal, boolean successful) {
    this.terminal = terminal;
    this.successful = successful;
  }

  public boolean isTerminal() {
    return terminal;
  }

  public boolean isSuccessful() {
    return successful;
  }

  /** Whether a client may still cancel a transaction in this state. */
  public boolean isCancellable() {
    return canTransitionTo(CANCELLED);
  }

  public boolean canTransitionTo(TransactionState next) {
    return SUCCESSORS.get(this).contains(next);
  }

  public Set<TransactionState> successors() {
    return Collections.unmodifiableSet(SUCCESSORS.get(this));
  }

  /**
   * Checks a move against the table.
   *
   * @throws IllegalTransitionException when the table does not allow it
   */
  public TransactionState checkTransitionTo(TransactionState next) {
    if (!canTransitionTo(next)) {
      throw new IllegalTransitionException(this, next);
    }
    return next;
  }

  /** The API and database name: lowercase, e.g. {@code aborted_byzantine}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TransactionState> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
  }

  @JsonCreator
  static TransactionState parse(String name) {
    return fromWireName(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown transaction state: " + name));
  }
}
