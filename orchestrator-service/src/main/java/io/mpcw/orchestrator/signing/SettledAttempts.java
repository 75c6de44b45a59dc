package io.mpcw.orchestrator.signing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes a settled session that produced no signature and records its attempt, in one database
 * transaction. Kept apart from {@link SessionSettlement} because every way a session can fail
 * (aborted, invalid, foreign records, superseded) ends the same way: only the replica that closes
 * the session records its attempt, so a replica racing this one never records it twice.
 */
final class SettledAttempts {
  private static final Logger log = LoggerFactory.getLogger(SettledAttempts.class);

  private final SigningSessions sessions;
  private final SigningAttempts attempts;
  private final TransactionTemplate database;
  private final SigningMetrics metrics;

  SettledAttempts(
      SigningSessions sessions,
      SigningAttempts attempts,
      TransactionTemplate database,
      SigningMetrics metrics) {
    this.sessions = sessions;
    this.attempts = attempts;
    this.database = database;
    this.metrics = metrics;
  }

  /** Closes the session as settled and records the failed attempt the round describes. */
  SessionSettlement.Settled close(
      UUID txId,
      SigningSession session,
      SigningSessionState state,
      SigningRound round,
      boolean resumed) {
    String detail = (resumed ? "taken over: " : "") + round.detail();
    record(txId, session, state, attempt(session, round.outcome(), round.faulty(), detail));
    metrics.attempt(round.outcome());
    metrics.culprits(round.culprits.size());
    log.info("signing attempt for {} failed: {}", txId, detail);
    return new SessionSettlement.Settled.Failed(round.outcome(), detail);
  }

  /** Closes the session as invalid for a reason that blames nobody. */
  SessionSettlement.Settled closeInvalid(UUID txId, SigningSession session, String why) {
    record(
        txId,
        session,
        SigningSessionState.INVALID,
        attempt(session, SigningOutcome.INVALID, List.of(), why));
    metrics.attempt(SigningOutcome.INVALID);
    return new SessionSettlement.Settled.Failed(SigningOutcome.INVALID, why);
  }

  /**
   * Share records someone else wrote under signers' keys: the session is invalid, nobody blamed.
   */
  SessionSettlement.Settled foreignRecords(
      UUID txId, SigningSession session, List<String> notTheirs) {
    metrics.foreignShareRecords(notTheirs.size());
    log.warn(
        "signing session {} of {}: share records not written by their node, nobody blamed: {}",
        session.sessionId(),
        txId,
        notTheirs);
    return closeInvalid(
        txId,
        session,
        "share records of "
            + String.join(", ", notTheirs)
            + " were not written by them (someone else wrote etcd); nobody blamed");
  }

  /** Closes a session whose sibling was signed, its attempt recorded as superseded. */
  SessionSettlement.Settled closeSuperseded(
      UUID txId, SigningSession session, SigningSessionState state, String detail) {
    record(txId, session, state, attempt(session, SigningOutcome.SUPERSEDED, List.of(), detail));
    metrics.attempt(SigningOutcome.SUPERSEDED);
    return new SessionSettlement.Settled.Failed(SigningOutcome.SUPERSEDED, detail);
  }

  private void record(
      UUID txId, SigningSession session, SigningSessionState state, SigningAttempt failed) {
    database.executeWithoutResult(
        status -> {
          // a replica racing this one may have closed it: its attempt row is the one that counts
          if (sessions.close(session.sessionId(), state, failed.outcome())) {
            attempts.record(txId, failed);
          }
        });
  }

  private static SigningAttempt attempt(
      SigningSession session, SigningOutcome outcome, List<String> faulty, String detail) {
    return new SigningAttempt(
        0,
        session.sessionId(),
        session.signers(),
        session.startedAt(),
        Instant.now(),
        outcome,
        faulty,
        Optional.of(detail));
  }
}
