package io.mpcw.orchestrator.signing;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@code signing_sessions} row stands, with its transition table: a session is written
 * {@code open} before its first round-2 request leaves and is closed exactly once, when etcd
 * settled how it ended.
 *
 * <pre>
 * open → complete (every share recorded; signed, or a sibling was)
 *      | aborted  (aborted in etcd before every share was recorded)
 *      | invalid  (complete, but a share or a record did not verify)
 * complete, aborted, invalid: terminal
 * </pre>
 */
enum SigningSessionState {
  OPEN,
  COMPLETE,
  ABORTED,
  INVALID;

  private static final Map<SigningSessionState, Set<SigningSessionState>> SUCCESSORS =
      new EnumMap<>(SigningSessionState.class);

  static {
    SUCCESSORS.put(OPEN, EnumSet.of(COMPLETE, ABORTED, INVALID));
    SUCCESSORS.put(COMPLETE, EnumSet.noneOf(SigningSessionState.class));
    SUCCESSORS.put(ABORTED, EnumSet.noneOf(SigningSessionState.class));
    SUCCESSORS.put(INVALID, EnumSet.noneOf(SigningSessionState.class));
  }

  /** The lowercase name the database holds. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean isTerminal() {
    return SUCCESSORS.get(this).isEmpty();
  }

  boolean canMoveTo(SigningSessionState next) {
    return SUCCESSORS.get(this).contains(next);
  }

  Set<SigningSessionState> successors() {
    return Collections.unmodifiableSet(SUCCESSORS.get(this));
  }

  /**
   * Checks a move against the table.
   *
   * @throws IllegalMove when the table does not allow it
   */
  SigningSessionState checkMoveTo(SigningSessionState next) {
    if (!canMoveTo(next)) {
      throw new IllegalMove(this, next);
    }
    return next;
  }

  static Optional<SigningSessionState> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
  }

  /** A session state change the table does not allow; never applied. */
  static final class IllegalMove extends IllegalStateException {
    private final SigningSessionState from;
    private final SigningSessionState to;

    IllegalMove(SigningSessionState from, SigningSessionState to) {
      super("signing session " + from.wireName() + " → " + to.wireName() + " is not allowed");
      this.from = from;
      this.to = to;
    }

    SigningSessionState from() {
      return from;
    }

    SigningSessionState to() {
      return to;
    }
  }
}
