package io.mpcw.orchestrator.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link RoastRun} does after starting every session it could: decided on one reading of the
 * sibling grace. Read twice, the grace can end between the readings, and a run that could start a
 * sibling then waited for a reply (up to the request deadline) instead.
 *
 * @param waitFor how long to wait for the next event (zero unless {@code kind} waits)
 */
record RunTurn(Kind kind, Duration waitFor) {
  enum Kind {
    /** Sessions could start and no grace holds them back any more: start them now. */
    START_NOW,
    /** Sessions could start but a running session's grace holds them back until it ends. */
    AWAIT_GRACE,
    /** No session can start: wait for a reply or fresh commitments. */
    AWAIT_EVENT,
    /** No session can start and nothing is awaited: the run is over. */
    GIVE_UP
  }

  /**
   * @param couldStart t signers are ready and the session bound allows another
   * @param graceEnd when the grace that holds siblings back ends; empty when none does
   * @param pending a reply or fresh commitments are still awaited
   * @param eventWait how long to wait for an event when nothing may start
   */
  static RunTurn next(
      boolean couldStart,
      Optional<Instant> graceEnd,
      boolean pending,
      Instant now,
      Duration eventWait) {
    if (couldStart) {
      if (graceEnd.isEmpty() || !graceEnd.get().isAfter(now)) {
        return new RunTurn(Kind.START_NOW, Duration.ZERO);
      }
      // in whole milliseconds, rounded up (the queue's poll counts in them): a wait that ended
      // before the grace would only turn the loop once more for nothing
      long millis = (Duration.between(now, graceEnd.get()).toNanos() + 999_999) / 1_000_000;
      return new RunTurn(Kind.AWAIT_GRACE, Duration.ofMillis(millis));
    }
    return pending
        ? new RunTurn(Kind.AWAIT_EVENT, eventWait)
        : new RunTurn(Kind.GIVE_UP, Duration.ZERO);
  }
}
