package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.signing.SessionRecord;
import io.mpcw.protocol.signing.ShareRecord;
import io.mpcw.types.transaction.TransactionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a session that etcd holds complete, from the share records there and never from the replies
 * alone, so a signature exists only for a session that can no longer be aborted. Apart from {@link
 * SessionSettlement} because this is the cryptographic half: which records count, which shares
 * verify, the aggregated signature per input.
 */
final class RecordedSessionSigning {
  private static final Logger log = LoggerFactory.getLogger(RecordedSessionSigning.class);

  private final InputAggregation aggregation = new InputAggregation(Frost.taproot());
  private final SigningSessions sessions;
  private final SigningMetrics metrics;
  private final NodeDirectory directory;
  private final SettledAttempts settled;

  RecordedSessionSigning(
      SigningSessions sessions,
      SigningMetrics metrics,
      NodeDirectory directory,
      SettledAttempts settled) {
    this.sessions = sessions;
    this.metrics = metrics;
    this.directory = directory;
    this.settled = settled;
  }

  /**
   * Every signer's shares are recorded: check each record is its signer's (signed with its
   * certificate key; one that is not blames nobody, the attempt fails and is reported), verify each
   * share, aggregate, verify every signature.
   */
  SessionSettlement.Settled sign(
      ClaimedTransaction claim,
      Wallet wallet,
      BuiltPayment payment,
      SigningSession session,
      SessionRecord record,
      boolean resumed,
      Map<String, String> outcomes) {
    UUID txId = claim.tx().id();
    List<String> signers = session.signers();
    Transaction unsigned = payment.unsigned();
    int inputs = unsigned.inputs().size();
    Map<String, NodeDirectory.KnownNode> known;
    try {
      known = directory.nodes();
    } catch (RuntimeException e) {
      return new SessionSettlement.Settled.Undecided("node certificates: " + e.getMessage());
    }
    SigningRound check = new SigningRound();
    List<String> notTheirs = new ArrayList<>();
    Map<String, List<SignatureShare>> shares = new LinkedHashMap<>();
    for (String node : signers) {
      // anyone who can write etcd can write under any node's key: a record is the node's only if
      // its signature says so, and only then may it be held against the node
      Optional<ShareRecord> recorded =
          RecordedShares.writtenBy(txId, node, record.shares().get(node), known);
      if (recorded.isEmpty()) {
        notTheirs.add(node);
        continue;
      }
      RecordedShares.decodeShares(
              wallet, session.sessionId(), node, recorded.get().shares(), inputs, check)
          .ifPresent(s -> shares.put(node, s));
    }
    if (!notTheirs.isEmpty()) {
      return settled.foreignRecords(txId, session, notTheirs);
    }
    if (!check.clean()) {
      return settled.close(txId, session, SigningSessionState.INVALID, check, resumed);
    }
    Map<String, List<SigningCommitments>> commitments = RecordedShares.decodeCommitments(session);
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
        return settled.close(txId, session, SigningSessionState.INVALID, check, resumed);
      }
      if (outcome instanceof InputAggregation.Outcome.Invalid invalid) {
        log.error("no signature for {} input {}: {}", txId, i, invalid.why());
        return settled.closeInvalid(txId, session, invalid.why());
      }
      signatures.add(((InputAggregation.Outcome.Signed) outcome).signature());
    }
    return signed(
        txId, session, unsigned.withKeyPathSignatures(signatures), inputs, resumed, outcomes);
  }

  /** The advance that records the signature, the attempt and the closed session together. */
  private SessionSettlement.Settled signed(
      UUID txId,
      SigningSession session,
      Transaction signed,
      int inputs,
      boolean resumed,
      Map<String, String> outcomes) {
    List<String> signers = session.signers();
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
    return new SessionSettlement.Settled.Signed(
        new StageOutcome.Advance(
                TransactionState.SIGNED,
                "signed by "
                    + String.join(", ", signers)
                    + " ("
                    + inputs
                    + " input(s))"
                    + (resumed ? " in a session taken over" : ""),
                () -> sessions.completed(session.sessionId(), outcomes, txId, ok))
            .setting(
                row -> {
                  Payments.signed(row, signed, signers);
                  SigningAttempts.counted(row);
                }));
  }
}
