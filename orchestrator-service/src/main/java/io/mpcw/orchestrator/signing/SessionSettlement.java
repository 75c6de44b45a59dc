package io.mpcw.orchestrator.signing;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.EtcdSigningSessions;
import io.mpcw.protocol.signing.SessionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends a signing session after its round 2, the way etcd decides: if every signer's shares are
 * recorded there the session is complete and is signed from those records (never from the replies
 * alone, so a signature exists only for a session that can no longer be aborted); otherwise it is
 * aborted there, and a share recorded a moment later makes the abort fail and the session complete.
 * Only a session that is settled is closed in PostgreSQL; while etcd cannot be reached it stays
 * open, and no new session starts for the payment. Signing from the records is {@link
 * RecordedSessionSigning}'s, closing a session without a signature {@link SettledAttempts}'s.
 */
@Component
class SessionSettlement {
  private static final Logger log = LoggerFactory.getLogger(SessionSettlement.class);
  private static final int MAX_REASON = 500;

  private final EtcdSigningSessions etcd;
  private final SigningMetrics metrics;
  private final NodeDirectory directory;
  private final SettledAttempts settled;
  private final RecordedSessionSigning signing;

  SessionSettlement(
      EtcdSigningSessions etcd,
      SigningSessions sessions,
      SigningAttempts attempts,
      TransactionTemplate database,
      SigningMetrics metrics,
      NodeDirectory directory) {
    this.directory = directory;
    this.etcd = etcd;
    this.metrics = metrics;
    this.settled = new SettledAttempts(sessions, attempts, database, metrics);
    this.signing = new RecordedSessionSigning(sessions, metrics, directory, settled);
  }

  /** How a session ended. */
  sealed interface Settled {
    /** Complete and verified: apply {@code advance} to record the signature. */
    record Signed(StageOutcome.Advance advance) implements Settled {}

    /** Aborted, or complete with a share that does not verify: no signature; attempt recorded. */
    record Failed(SigningOutcome outcome, String detail) implements Settled {}

    /** etcd could not be asked: nothing decided, the session stays open for the next try. */
    record Undecided(String why) implements Settled {}
  }

  /**
   * The signers worth asking round 2 of the session again: those with nothing recorded, none once
   * it is aborted or complete; empty when etcd cannot be read.
   */
  Optional<List<String>> toAsk(UUID txId, SigningSession session) {
    try {
      SessionRecord record = etcd.read(txId, session.sessionId(), session.signers());
      return Optional.of(record.aborted() ? List.of() : record.missing(session.signers()));
    } catch (ProtocolException e) {
      log.warn(
          "signing session {} of {} not readable: {}", session.sessionId(), txId, e.toString());
      return Optional.empty();
    }
  }

  /**
   * @param round what went wrong when round 2 was asked (failures of signers whose shares are
   *     recorded anyway do not count)
   * @param replied signers that answered round 2 with well-formed shares
   * @param resumed the session was opened by another orchestrator run
   * @param outcomes what each signer did, written by the statement that closes a signed session
   *     (empty: left as recorded)
   */
  Settled settle(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      SigningRound round,
      Set<String> replied,
      boolean resumed,
      Map<String, String> outcomes) {
    UUID txId = claim.tx().id();
    List<String> signers = session.signers();
    SessionRecord record;
    try {
      record = etcd.read(txId, session.sessionId(), signers);
      if (!record.aborted() && !record.completeFor(signers)) {
        record =
            etcd.abortUnlessComplete(
                txId, session.sessionId(), signers, abortReason(record, signers, round));
        if (record.aborted()) {
          metrics.sessionAborted();
        }
      }
    } catch (ProtocolException e) {
      log.warn("signing session {} of {} not settled: {}", session.sessionId(), txId, e.toString());
      return new Settled.Undecided("etcd: " + e.getMessage());
    }
    if (record.aborted()) {
      for (String node : record.missing(signers)) {
        if (!round.names(node)) {
          if (replied.contains(node)) {
            round.culprit(node, "released signature shares it did not record");
          } else {
            round.unreachable(node, "no shares recorded");
          }
        }
      }
      log.info(
          "signing session {} of {} aborted: {}",
          session.sessionId(),
          txId,
          record.abortedBecause().orElseThrow());
      return settled.close(txId, session, SigningSessionState.ABORTED, round, resumed);
    }
    return signing.sign(claim, wallet, payment, session, record, resumed, outcomes);
  }

  /**
   * Ends a session whose sibling (another session of the same payment, same transaction) was
   * signed: aborted in etcd unless already complete, so a node still working on it cannot record
   * its shares any more. Never signed from: the payment has its signature. Its attempt is recorded
   * as {@code superseded} unless a signer misbehaved or refused in it.
   */
  Settled settleSibling(UUID txId, SigningSession session, SigningRound round) {
    List<String> signers = session.signers();
    SessionRecord record;
    try {
      record =
          etcd.abortUnlessComplete(
              txId,
              session.sessionId(),
              signers,
              abortReason(etcd.read(txId, session.sessionId(), signers), signers, round)
                  + "; a sibling session was signed");
    } catch (ProtocolException e) {
      log.warn("signing session {} of {} not settled: {}", session.sessionId(), txId, e.toString());
      return new Settled.Undecided("etcd: " + e.getMessage());
    }
    if (record.aborted()) {
      metrics.sessionAborted();
    }
    SigningSessionState state =
        record.aborted() ? SigningSessionState.ABORTED : SigningSessionState.COMPLETE;
    if (!record.aborted()) {
      // every key is there: a signer whose request failed may have recorded all the same, and
      // nobody is blamed for a record before it is known to be its signer's
      Map<String, NodeDirectory.KnownNode> known;
      try {
        known = directory.nodes();
      } catch (RuntimeException e) {
        return new Settled.Undecided("node certificates: " + e.getMessage());
      }
      List<String> notTheirs = new ArrayList<>();
      for (String node : signers) {
        if (RecordedShares.writtenBy(txId, node, record.shares().get(node), known).isEmpty()) {
          notTheirs.add(node);
        }
      }
      if (!notTheirs.isEmpty()) {
        return settled.foreignRecords(txId, session, notTheirs);
      }
    }
    if (!round.clean()) {
      // an invalid share recorded makes a complete session invalid
      return settled.close(
          txId, session, record.aborted() ? state : SigningSessionState.INVALID, round, false);
    }
    String detail =
        record.aborted()
            ? "a sibling session was signed first; this one was aborted"
            : "complete as well; the sibling session's signature was used";
    return settled.closeSuperseded(txId, session, state, detail);
  }

  private static String abortReason(
      SessionRecord record, List<String> signers, SigningRound round) {
    String why = "no shares recorded by " + String.join(", ", record.missing(signers));
    String detail = round.detail();
    String reason = detail.isEmpty() ? why : why + " (" + detail + ")";
    return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
  }
}
