package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.EtcdSigningSessions;
import io.mpcw.protocol.signing.SessionRecord;
import io.mpcw.protocol.signing.ShareRecord;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.types.transaction.TransactionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * open, and no new session starts for the payment.
 */
@Component
class SessionSettlement {
  private static final Logger log = LoggerFactory.getLogger(SessionSettlement.class);
  private static final int MAX_REASON = 500;

  private final InputAggregation aggregation = new InputAggregation(Frost.taproot());
  private final EtcdSigningSessions etcd;
  private final SigningSessions sessions;
  private final SigningAttempts attempts;
  private final Payments payments;
  private final TransactionTemplate database;
  private final SigningMetrics metrics;
  private final NodeDirectory directory;

  SessionSettlement(
      EtcdSigningSessions etcd,
      SigningSessions sessions,
      SigningAttempts attempts,
      Payments payments,
      TransactionTemplate database,
      SigningMetrics metrics,
      NodeDirectory directory) {
    this.directory = directory;
    this.etcd = etcd;
    this.sessions = sessions;
    this.attempts = attempts;
    this.payments = payments;
    this.database = database;
    this.metrics = metrics;
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
   */
  Settled settle(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      SigningRound round,
      Set<String> replied,
      boolean resumed) {
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
      return close(txId, session, SigningSessionState.ABORTED, round, resumed);
    }
    return sign(claim, wallet, payment, session, record, resumed);
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
        if (writtenBy(txId, node, record.shares().get(node), known).isEmpty()) {
          notTheirs.add(node);
        }
      }
      if (!notTheirs.isEmpty()) {
        return foreignRecords(txId, session, notTheirs, false);
      }
    }
    if (!round.clean()) {
      // an invalid share recorded makes a complete session invalid
      return close(
          txId, session, record.aborted() ? state : SigningSessionState.INVALID, round, false);
    }
    String detail =
        record.aborted()
            ? "a sibling session was signed first; this one was aborted"
            : "complete as well; the sibling session's signature was used";
    SigningAttempt superseded =
        new SigningAttempt(
            0,
            session.sessionId(),
            signers,
            session.startedAt(),
            Instant.now(),
            SigningOutcome.SUPERSEDED,
            List.of(),
            Optional.of(detail));
    database.executeWithoutResult(
        status -> {
          if (sessions.close(session.sessionId(), state, superseded.outcome())) {
            attempts.record(txId, superseded);
          }
        });
    metrics.attempt(SigningOutcome.SUPERSEDED);
    return new Settled.Failed(SigningOutcome.SUPERSEDED, detail);
  }

  /**
   * Every signer's shares are recorded: check each record is its signer's (signed with its
   * certificate key; one that is not blames nobody, the attempt fails and is reported), verify each
   * share, aggregate, verify every signature.
   */
  private Settled sign(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      SessionRecord record,
      boolean resumed) {
    UUID txId = claim.tx().id();
    List<String> signers = session.signers();
    Transaction unsigned = payment.unsigned();
    int inputs = unsigned.inputs().size();
    Map<String, NodeDirectory.KnownNode> known;
    try {
      known = directory.nodes();
    } catch (RuntimeException e) {
      return new Settled.Undecided("node certificates: " + e.getMessage());
    }
    SigningRound check = new SigningRound();
    List<String> notTheirs = new ArrayList<>();
    Map<String, List<SignatureShare>> shares = new LinkedHashMap<>();
    for (String node : signers) {
      // anyone who can write etcd can write under any node's key: a record is the node's only if
      // its signature says so, and only then may it be held against the node
      Optional<ShareRecord> recorded = writtenBy(txId, node, record.shares().get(node), known);
      if (recorded.isEmpty()) {
        notTheirs.add(node);
        continue;
      }
      decodeShares(wallet, session.sessionId(), node, recorded.get().shares(), inputs, check)
          .ifPresent(s -> shares.put(node, s));
    }
    if (!notTheirs.isEmpty()) {
      return foreignRecords(txId, session, notTheirs, resumed);
    }
    if (!check.clean()) {
      return close(txId, session, SigningSessionState.INVALID, check, resumed);
    }
    Map<String, List<SigningCommitments>> commitments = decodeCommitments(session);
    PublicKeyPackage keys = wallet.publicKeyPackage().orElseThrow();
    byte[] outputKey = wallet.outputKey().orElseThrow();
    TaprootSighash sighash = new TaprootSighash(unsigned, payment.prevouts());
    List<byte[]> signatures = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      byte[] message = sighash.sigHash(i, SighashType.DEFAULT);
      Map<String, SigningCommitments> forInput = new LinkedHashMap<>();
      Map<String, SignatureShare> sharesForInput = new LinkedHashMap<>();
      for (String node : signers) {
        forInput.put(node, commitments.get(node).get(i));
        sharesForInput.put(node, shares.get(node).get(i));
      }
      InputAggregation.Outcome outcome =
          aggregation.aggregate(message, signers, forInput, sharesForInput, keys, outputKey);
      if (outcome instanceof InputAggregation.Outcome.Culprits culprits) {
        for (String node : culprits.nodes()) {
          check.culprit(node, "invalid signature share for input " + i);
        }
        return close(txId, session, SigningSessionState.INVALID, check, resumed);
      }
      if (outcome instanceof InputAggregation.Outcome.Invalid invalid) {
        log.error("no signature for {} input {}: {}", txId, i, invalid.why());
        return closeInvalid(txId, session, invalid.why(), resumed);
      }
      signatures.add(((InputAggregation.Outcome.Signed) outcome).signature());
    }
    Transaction signed = unsigned.withKeyPathSignatures(signatures);
    Instant finished = Instant.now();
    metrics.attempt(SigningOutcome.OK);
    SigningAttempt ok =
        new SigningAttempt(
            0,
            session.sessionId(),
            signers,
            session.startedAt(),
            finished,
            SigningOutcome.OK,
            List.of(),
            resumed ? Optional.of("finished after a takeover") : Optional.empty());
    return new Settled.Signed(
        new StageOutcome.Advance(
            TransactionState.SIGNED,
            "signed by "
                + String.join(", ", signers)
                + " ("
                + inputs
                + " input(s))"
                + (resumed ? " in a session taken over" : ""),
            () -> {
              sessions.close(session.sessionId(), SigningSessionState.COMPLETE, ok.outcome());
              attempts.record(txId, ok);
              payments.signed(txId, signed, signers);
            }));
  }

  /**
   * Share records someone else wrote under signers' keys: the session is invalid, nobody blamed.
   */
  private Settled foreignRecords(
      UUID txId, SigningSession session, List<String> notTheirs, boolean resumed) {
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
            + " were not written by them (someone else wrote etcd); nobody blamed",
        resumed);
  }

  /**
   * The record under {@code node}'s key, if {@code node} signed it for this payment (checked with
   * the node's certificate as the directory trusts it; without one nothing can be held against it).
   */
  private static Optional<ShareRecord> writtenBy(
      UUID txId, String node, byte[] value, Map<String, NodeDirectory.KnownNode> known) {
    Optional<java.security.cert.X509Certificate> certificate =
        Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::certificate);
    if (certificate.isEmpty()) {
      return Optional.empty();
    }
    try {
      ShareRecord record = ShareRecord.decode(value);
      return record.txId().equals(txId) && record.writtenBy(node, certificate.get())
          ? Optional.of(record)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Settled closeInvalid(UUID txId, SigningSession session, String why, boolean resumed) {
    SigningAttempt failed =
        new SigningAttempt(
            0,
            session.sessionId(),
            session.signers(),
            session.startedAt(),
            Instant.now(),
            SigningOutcome.INVALID,
            List.of(),
            Optional.of(why));
    database.executeWithoutResult(
        status -> {
          if (sessions.close(session.sessionId(), SigningSessionState.INVALID, failed.outcome())) {
            attempts.record(txId, failed);
          }
        });
    metrics.attempt(SigningOutcome.INVALID);
    return new Settled.Failed(SigningOutcome.INVALID, why);
  }

  /** Closes the session as settled and records the failed attempt, in one database transaction. */
  private Settled close(
      UUID txId,
      SigningSession session,
      SigningSessionState state,
      SigningRound round,
      boolean resumed) {
    String detail = (resumed ? "taken over: " : "") + round.detail();
    SigningAttempt failed =
        new SigningAttempt(
            0,
            session.sessionId(),
            session.signers(),
            session.startedAt(),
            Instant.now(),
            round.outcome(),
            round.faulty(),
            Optional.of(detail));
    database.executeWithoutResult(
        status -> {
          // a replica racing this one may have closed it: its attempt row is the one that counts
          if (sessions.close(session.sessionId(), state, failed.outcome())) {
            attempts.record(txId, failed);
          }
        });
    metrics.attempt(round.outcome());
    metrics.culprits(round.culprits.size());
    log.info("signing attempt for {} failed: {}", txId, detail);
    return new Settled.Failed(round.outcome(), detail);
  }

  private static String abortReason(
      SessionRecord record, List<String> signers, SigningRound round) {
    String why = "no shares recorded by " + String.join(", ", record.missing(signers));
    String detail = round.detail();
    String reason = detail.isEmpty() ? why : why + " (" + detail + ")";
    return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
  }

  static Map<String, List<SigningCommitments>> decodeCommitments(SigningSession session) {
    Map<String, List<SigningCommitments>> out = new LinkedHashMap<>();
    session
        .commitments()
        .forEach(
            (node, list) ->
                out.put(
                    node,
                    list.stream().map(h -> SigningCommitments.decode(Hex.decode(h))).toList()));
    return out;
  }

  /** A signer's shares for the session, one per input, under its own identifier; else a culprit. */
  static Optional<List<SignatureShare>> decodeShares(
      Wallet wallet,
      UUID session,
      String node,
      SignShareResponse reply,
      int inputs,
      SigningRound round) {
    if (!reply.sessionId().equals(session)
        || !reply.nodeId().equals(node)
        || reply.shares().size() != inputs) {
      round.culprit(node, "round-2 reply does not match the request");
      return Optional.empty();
    }
    List<SignatureShare> out = new ArrayList<>();
    for (String hex : reply.shares()) {
      try {
        SignatureShare share = SignatureShare.decode(Hex.decode(hex));
        if (!share.identifier().equals(Identifier.of(wallet.identifierOf(node)))) {
          round.culprit(node, "share for another identifier");
          return Optional.empty();
        }
        out.add(share);
      } catch (RuntimeException e) {
        round.culprit(node, "unreadable signature share");
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }
}
