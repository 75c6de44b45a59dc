package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.lifecycle.LifecycleRefusals.culprit;
import static io.mpcw.protocol.lifecycle.LifecycleRefusals.decodeHex;
import static io.mpcw.protocol.lifecycle.LifecycleRefusals.requireExactly;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.lifecycle.Reshare;
import io.mpcw.crypto.lifecycle.ReshareCommitment;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareReceiveRequest;
import io.mpcw.protocol.share.WalletShare;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of a reshare, at a node of the new set: the old wallet is this node's own when it holds
 * it, else what the orchestrator relays, which every dealer's seal vouches for. Every commitment
 * and sub-share is checked, the new share is staged durably, then the new public key package is
 * acknowledged.
 */
final class ReshareReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(ReshareParticipant.class);

  private final LifecycleIdentity identity;
  private final HeldShares shares;
  private final RoundSessions<DealtRound> sessions;

  ReshareReceiver(
      LifecycleIdentity identity, HeldShares shares, RoundSessions<DealtRound> sessions) {
    this.identity = identity;
    this.shares = shares;
    this.sessions = sessions;
  }

  RefreshPart2Response receive(ReshareReceiveRequest request) {
    String nodeId = identity.nodeId();
    sessions.purgeExpired();
    ReshareSubject subject = ReshareChecks.subject(request.threshold(), request.participants());
    int newIdentifier = subject.identifierOf(nodeId);
    if (newIdentifier == 0) {
      throw new ProtocolException(
          ProtocolErrors.NOT_A_PARTICIPANT, nodeId + " is not in the new set of this reshare");
    }
    byte[] oldPublicKeys = decodeHex("orchestrator", request.oldPublicKeyPackage());
    byte[] groupPublicKey = decodeHex("orchestrator", request.groupPublicKey());
    PublicKeyPackage oldPackage = oldWallet(request, oldPublicKeys, groupPublicKey);
    int oldThreshold = oldPackage.minSigners();
    ReshareChecks.requireApproved(
        identity.peerCertificates(),
        request.votes(),
        request.oldParticipants(),
        oldThreshold,
        request.operationId(),
        request.walletId(),
        request.epoch() - 1,
        subject);
    ReshareChecks.requireQuorum(request.dealers(), request.oldParticipants(), oldThreshold);
    requireExactly(Set.copyOf(request.dealers()), request.commitments().keySet(), "commitments");
    Set<String> sealedFrom = new TreeSet<>(request.dealers());
    sealedFrom.remove(nodeId);
    requireExactly(sealedFrom, request.sealed().keySet(), "sealed sub-shares");
    DealtRound dealt = null;
    if (request.dealers().contains(nodeId)) {
      dealt =
          DealtRound.requireFor(
              sessions.take(request.operationId()).orElse(null),
              RefreshParticipant.RESHARE,
              request.operationId(),
              request.walletId(),
              request.epoch(),
              " dealt on " + nodeId);
    }
    Map<Identifier, ReshareCommitment> commitments = new TreeMap<>();
    Map<Identifier, Scalar> subShares = new TreeMap<>();
    Map<Identifier, String> dealerOf = new HashMap<>();
    for (String dealer : request.dealers()) {
      Identifier id = ReshareChecks.identifierIn(request.oldParticipants(), dealer);
      dealerOf.put(id, dealer);
      byte[] commitmentBytes = decodeHex(dealer, request.commitments().get(dealer));
      try {
        commitments.put(id, ReshareCommitment.decode(commitmentBytes));
      } catch (IllegalArgumentException e) {
        throw culprit(dealer, "reshare commitment refused: " + e.getMessage());
      }
      if (dealer.equals(nodeId)) {
        dealt.requireRelayedUnchanged(commitmentBytes);
        subShares.put(id, dealt.own());
      } else {
        byte[] binding =
            LifecycleTranscript.reshareSealBinding(
                request.operationId(),
                request.epoch(),
                subject,
                request.dealers(),
                request.oldParticipants(),
                oldPublicKeys,
                groupPublicKey,
                commitmentBytes);
        subShares.put(
            id,
            identity.open(
                request.walletId(), binding, dealer, request.sealed().get(dealer), "sub-share"));
      }
    }
    KeyPackage next;
    PublicKeyPackage nextPublic;
    try {
      next =
          Reshare.receive(
              Identifier.of(newIdentifier),
              oldPackage,
              commitments,
              subShares,
              subject.threshold());
      nextPublic =
          Reshare.newPublicKeyPackage(
              oldPackage, commitments, ReshareChecks.receivers(subject), subject.threshold());
    } catch (CulpritException e) {
      throw culprit(dealerOf.getOrDefault(e.culprit(), e.culprit().toString()), e.getMessage());
    } catch (FrostException e) {
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
    String ack =
        shares.stageAndAcknowledge(
            new WalletShare(
                request.walletId(),
                nodeId,
                newIdentifier,
                subject.threshold(),
                subject.participants(),
                next,
                nextPublic,
                groupPublicKey,
                request.epoch()));
    LOG.info(
        "reshare {} of wallet {}: share of epoch {} staged ({} of {})",
        request.operationId(),
        request.walletId(),
        request.epoch(),
        subject.threshold(),
        subject.participants().size());
    return new RefreshPart2Response(
        request.operationId(), nodeId, request.epoch(), Hex.encode(nextPublic.encode()), ack);
  }

  /**
   * The wallet before the reshare: a node that holds it trusts its own copy and refuses a relayed
   * one that differs; a node that does not checks the relayed one is at least self-consistent.
   */
  private PublicKeyPackage oldWallet(
      ReshareReceiveRequest request, byte[] oldPublicKeys, byte[] groupPublicKey) {
    PublicKeyPackage oldPackage;
    try {
      oldPackage = PublicKeyPackage.decode(oldPublicKeys);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, "old public key package: " + e.getMessage());
    }
    long oldEpoch = request.epoch() - 1;
    Optional<WalletShare> held = shares.find(request.walletId());
    if (held.isPresent()) {
      WalletShare share = held.get();
      if (share.epoch() != oldEpoch) {
        throw shares.wrongEpoch(request.walletId(), share.epoch(), oldEpoch);
      }
      if (!Arrays.equals(share.publicKeyPackage().encode(), oldPublicKeys)
          || !share.participants().equals(request.oldParticipants())
          || !Arrays.equals(share.groupPublicKey(), groupPublicKey)) {
        throw new ProtocolException(
            ProtocolErrors.MALFORMED_REQUEST,
            "the relayed wallet is not the one this node holds in epoch " + oldEpoch);
      }
    } else if (oldPackage.verifyingShares().size() != request.oldParticipants().size()
        || new HashSet<>(request.oldParticipants()).size() != request.oldParticipants().size()) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "the old participants do not match the old public key package");
    }
    return oldPackage;
  }
}
