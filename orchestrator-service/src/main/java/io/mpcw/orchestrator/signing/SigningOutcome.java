package io.mpcw.orchestrator.signing;

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
 * How one signing attempt ended; written once, with the close of its session, never changed. Its
 * table is the session states an attempt with this outcome may close its session with: a signed
 * payment's session is complete, a failed attempt's session aborted or invalid.
 *
 * <pre>
 * ok          → complete
 * superseded  → aborted | complete (a sibling session was signed first)
 * culprit     → aborted | invalid
 * refused     → aborted | invalid
 * unreachable → aborted | invalid (complete in etcd after all, but another share failed)
 * invalid     → invalid
 * </pre>
 */
public enum SigningOutcome {
  /** Signed. */
  OK,
  /** A signer did not answer. */
  UNREACHABLE,
  /** A signer sent something invalid. */
  CULPRIT,
  /** A signer's own checks said no. */
  REFUSED,
  /** Every share verified, yet the aggregate signature did not (or records were not the nodes'). */
  INVALID,
  /** A sibling session of the same payment was signed first. */
  SUPERSEDED;

  private static final Map<SigningOutcome, Set<SigningSessionState>> CLOSES_AS =
      new EnumMap<>(SigningOutcome.class);

  static {
    CLOSES_AS.put(OK, EnumSet.of(SigningSessionState.COMPLETE));
    CLOSES_AS.put(
        SUPERSEDED, EnumSet.of(SigningSessionState.ABORTED, SigningSessionState.COMPLETE));
    for (SigningOutcome blamed : EnumSet.of(CULPRIT, REFUSED, UNREACHABLE)) {
      CLOSES_AS.put(blamed, EnumSet.of(SigningSessionState.ABORTED, SigningSessionState.INVALID));
    }
    CLOSES_AS.put(INVALID, EnumSet.of(SigningSessionState.INVALID));
  }

  /** The lowercase name the database, the API and the metrics' {@code outcome} tag hold. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The session states an attempt with this outcome may close its session with. */
  Set<SigningSessionState> closesAs() {
    return Collections.unmodifiableSet(CLOSES_AS.get(this));
  }

  /**
   * Checks that a session may close as {@code state} with an attempt of this outcome.
   *
   * @throws IllegalStateException naming both when the table does not allow it
   */
  SigningSessionState checkClosesAs(SigningSessionState state) {
    if (!CLOSES_AS.get(this).contains(state)) {
      throw new IllegalStateException(
          "a signing attempt " + wireName() + " does not close its session as " + state.wireName());
    }
    return state;
  }

  public static Optional<SigningOutcome> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
  }

  /** Reads a stored outcome; the column's CHECK keeps it one of the wire names. */
  static SigningOutcome parse(String name) {
    return fromWireName(name)
        .orElseThrow(() -> new IllegalStateException("unknown signing outcome " + name));
  }
}
