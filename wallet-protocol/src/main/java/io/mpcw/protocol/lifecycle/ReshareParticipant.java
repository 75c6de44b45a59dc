package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.lifecycle.LifecycleRefusals.decodeHex;

import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.lifecycle.Reshare;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareAbortRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareCommitRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealResponse;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareReceiveRequest;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.transport.pki.IdentityCredentials;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of a reshare (see {@link Reshare}): the wallet's key moves from t-of-n on the
 * current set to t'-of-n' on a new set, same group key. As a dealer (one of a quorum of t current
 * participants, {@link ReshareDealer}) the node deals only with ≥ t signed approvals of this very
 * reshare (its new set and threshold are the votes' subject); as a receiver (a node of the new set,
 * which may hold nothing of the wallet yet, {@link ReshareReceiver}) it checks every dealer's
 * commitment against the current public key package and every sub-share against its commitment
 * before it stages anything; at the commit a node of the new set makes its staged share current,
 * and a node of the old set only erases its share once every new participant signed that it staged
 * a share of the same package, of the same key. Round state lives in memory only; a restart loses
 * it and the operation deals again.
 */
public final class ReshareParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(ReshareParticipant.class);

  private final String nodeId;
  private final LifecycleIdentity identity;
  private final HeldShares shares;
  private final RoundSessions<DealtRound> sessions;
  private final ReshareDealer dealer;
  private final ReshareReceiver receiver;

  public ReshareParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this.identity = new LifecycleIdentity(nodeId, identity, peerCertificates, random);
    this.nodeId = nodeId;
    this.shares = new HeldShares(this.identity, store);
    this.sessions = new RoundSessions<>(clock, sessionTtl);
    this.dealer = new ReshareDealer(this.identity, shares, random, sessions);
    this.receiver = new ReshareReceiver(this.identity, shares, sessions);
  }

  /** Step 1, at a dealer: its weighted share dealt to the new set, each sub-share sealed. */
  public ReshareDealResponse deal(ReshareDealRequest request) {
    return dealer.deal(request);
  }

  /** Step 2, at a receiver: every commitment and sub-share checked, the new share staged. */
  public RefreshPart2Response receive(ReshareReceiveRequest request) {
    return receiver.receive(request);
  }

  /**
   * Commit: with every new participant's acknowledgement of the package, a node of the new set
   * makes its staged share current (the old one erased), a node only of the old set erases its
   * share. Repeating a done commit answers the same.
   */
  public EpochResponse commit(ReshareCommitRequest request) {
    ReshareSubject subject = ReshareChecks.subject(request.threshold(), request.participants());
    byte[] publicKeys = decodeHex("orchestrator", request.publicKeyPackage());
    Optional<WalletShare> held = shares.find(request.walletId());
    if (subject.identifierOf(nodeId) == 0) {
      return leave(request, subject, publicKeys, held);
    }
    if (HeldShares.committed(held, request.epoch(), publicKeys)) {
      return new EpochResponse(request.operationId(), nodeId, request.epoch());
    }
    shares.commitStaged(
        request.walletId(),
        request.epoch(),
        publicKeys,
        subject.participants(),
        request.acks(),
        "");
    LOG.info(
        "reshare {} of wallet {}: epoch {} committed, the old share erased",
        request.operationId(),
        request.walletId(),
        request.epoch());
    return new EpochResponse(request.operationId(), nodeId, request.epoch());
  }

  /**
   * A node of the old set that is not in the new one erases its share, once the reshare was
   * approved and every new participant staged a share of the same key with the new threshold.
   */
  private EpochResponse leave(
      ReshareCommitRequest request,
      ReshareSubject subject,
      byte[] publicKeys,
      Optional<WalletShare> held) {
    if (held.isEmpty()) {
      // erased already (a repeated commit), or never held: nothing of the wallet is here
      shares.store().discard(request.walletId(), request.epoch());
      return new EpochResponse(request.operationId(), nodeId, request.epoch());
    }
    WalletShare share = held.get();
    if (share.epoch() != request.epoch() - 1) {
      throw shares.wrongEpoch(request.walletId(), share.epoch(), request.epoch() - 1);
    }
    ReshareChecks.requireApproved(
        identity.peerCertificates(),
        request.votes(),
        share.participants(),
        share.threshold(),
        request.operationId(),
        request.walletId(),
        share.epoch(),
        subject);
    PublicKeyPackage next;
    try {
      next = PublicKeyPackage.decode(publicKeys);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, "public key package: " + e.getMessage());
    }
    if (!next.verifyingKey().equals(share.publicKeyPackage().verifyingKey())
        || next.minSigners() != subject.threshold()
        || next.verifyingShares().size() != subject.participants().size()) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "the new public key package is not of this wallet's key with the approved threshold");
    }
    identity.requireAcks(
        request.walletId(),
        request.epoch(),
        Set.copyOf(subject.participants()),
        request.acks(),
        publicKeys);
    shares.store().erase(request.walletId(), request.epoch());
    LOG.info(
        "reshare {} of wallet {}: {} left the wallet at epoch {}, its share erased",
        request.operationId(),
        request.walletId(),
        nodeId,
        request.epoch());
    return new EpochResponse(request.operationId(), nodeId, request.epoch());
  }

  /** Abort: the share staged for the epoch is discarded; the current share (if any) signs on. */
  public EpochResponse abort(ReshareAbortRequest request) {
    sessions.drop(request.operationId());
    Optional<WalletShare> held = shares.find(request.walletId());
    if (held.isEmpty() || held.get().epoch() < request.epoch()) {
      shares.store().discard(request.walletId(), request.epoch());
    }
    LOG.info("reshare {} of wallet {} aborted", request.operationId(), request.walletId());
    return new EpochResponse(
        request.operationId(), nodeId, held.map(WalletShare::epoch).orElse(request.epoch() - 1));
  }

  public int liveSessions() {
    return sessions.live();
  }
}
