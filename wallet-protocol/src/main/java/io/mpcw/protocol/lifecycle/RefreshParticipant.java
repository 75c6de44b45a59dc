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
import io.mpcw.crypto.lifecycle.Refresh;
import io.mpcw.crypto.lifecycle.ZeroCommitment;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshAbortRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteResponse;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.transport.pki.IdentityCredentials;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of the key lifecycle: its vote ({@link LifecycleVoter}), and the refresh
 * (proactive secret sharing, see {@link Refresh}). The node trusts the orchestrator with nothing:
 * it deals only when ≥ t participants signed approvals of this very operation, its zero shares
 * travel sealed to their recipients, it stages a new share only after checking every zero share
 * against its dealer's commitment (constant term the identity, degree the wallet's), and it commits
 * the staged share only when every participant signed that it staged a share of the same public key
 * package. Round state lives in memory only, keyed by operation; a restart loses it and the
 * operation deals again.
 */
public final class RefreshParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshParticipant.class);
  public static final String REFRESH = "refresh";
  public static final String REPAIR = "repair";
  public static final String RESHARE = "reshare";

  private final String nodeId;
  private final LifecycleIdentity identity;
  private final HeldShares shares;
  private final LifecycleVoter voter;
  private final SecureRandom random;
  private final RoundSessions<DealtRound> sessions;

  public RefreshParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      LifecyclePolicy policy,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this.identity = new LifecycleIdentity(nodeId, identity, peerCertificates, random);
    this.nodeId = nodeId;
    this.shares = new HeldShares(this.identity, store);
    this.voter = new LifecycleVoter(this.identity, shares, policy);
    this.random = random;
    this.sessions = new RoundSessions<>(clock, sessionTtl);
  }

  /** This node's vote by its own policy, signed; it must hold the wallet in the named epoch. */
  public VoteResponse vote(VoteRequest request) {
    return voter.vote(request);
  }

  /** Part 1: with ≥ t approvals, a fresh zero-sharing; each peer's share sealed to it. */
  public RefreshPart1Response part1(RefreshPart1Request request) {
    sessions.purgeExpired();
    WalletShare share = shares.current(request.walletId(), request.epoch());
    requireApproved(request, share);
    Map<Identifier, String> byId = new HashMap<>();
    for (int i = 0; i < share.participants().size(); i++) {
      byId.put(Identifier.of(i + 1), share.participants().get(i));
    }
    Refresh.Dealing dealing = Refresh.deal(byId.keySet(), share.threshold(), random);
    byte[] commitment = dealing.commitment().encode();
    long newEpoch = request.epoch() + 1;
    byte[] binding = LifecycleTranscript.sealBinding(request.operationId(), newEpoch, commitment);
    Map<String, String> sealed = new HashMap<>();
    dealing
        .shares()
        .forEach(
            (id, z) -> {
              String peer = byId.get(id);
              if (!peer.equals(nodeId)) {
                sealed.put(peer, identity.seal(request.walletId(), binding, peer, z));
              }
            });
    Scalar own = dealing.shares().get(Identifier.of(share.identifier()));
    sessions.put(
        request.operationId(), new DealtRound(request.walletId(), newEpoch, commitment, own));
    LOG.info(
        "refresh {} of wallet {}: zero-sharing dealt for epoch {}",
        request.operationId(),
        request.walletId(),
        newEpoch);
    return new RefreshPart1Response(request.operationId(), nodeId, Hex.encode(commitment), sealed);
  }

  /**
   * Part 2: opens and checks every zero share, stages the new share durably, then signs the new
   * public key package. The round state is erased whatever the outcome.
   */
  public RefreshPart2Response part2(RefreshPart2Request request) {
    DealtRound dealt =
        DealtRound.requireFor(
            sessions.take(request.operationId()).orElse(null),
            REFRESH,
            request.operationId(),
            request.walletId(),
            request.epoch(),
            " on " + nodeId);
    WalletShare share = shares.current(request.walletId(), request.epoch() - 1);
    requireExactly(Set.copyOf(share.participants()), request.commitments().keySet(), "commitments");
    Set<String> peers = new TreeSet<>(share.participants());
    peers.remove(nodeId);
    requireExactly(peers, request.sealed().keySet(), "sealed zero shares");
    dealt.requireRelayedUnchanged(decodeHex(nodeId, request.commitments().get(nodeId)));
    Map<Identifier, ZeroCommitment> commitments = new TreeMap<>();
    Map<Identifier, Scalar> zeros = new TreeMap<>();
    for (int i = 0; i < share.participants().size(); i++) {
      String dealer = share.participants().get(i);
      Identifier id = Identifier.of(i + 1);
      byte[] commitmentBytes = decodeHex(dealer, request.commitments().get(dealer));
      try {
        commitments.put(id, ZeroCommitment.decode(commitmentBytes));
      } catch (IllegalArgumentException e) {
        throw culprit(dealer, "zero-sharing commitment refused: " + e.getMessage());
      }
      zeros.put(id, dealer.equals(nodeId) ? dealt.own() : open(request, dealer, commitmentBytes));
    }
    KeyPackage next;
    PublicKeyPackage nextPublic;
    try {
      next = Refresh.refreshKeyPackage(share.keyPackage(), commitments, zeros);
      nextPublic = Refresh.refreshPublicKeyPackage(share.publicKeyPackage(), commitments);
    } catch (CulpritException e) {
      throw culprit(nodeOf(share, e.culprit()), e.getMessage());
    } catch (FrostException e) {
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
    String ack = shares.stageAndAcknowledge(share.next(next, nextPublic, request.epoch()));
    LOG.info(
        "refresh {} of wallet {}: share of epoch {} staged",
        request.operationId(),
        request.walletId(),
        request.epoch());
    return new RefreshPart2Response(
        request.operationId(), nodeId, request.epoch(), Hex.encode(nextPublic.encode()), ack);
  }

  /**
   * Commit: with every participant's acknowledgement of the staged package, the staged share
   * becomes current and the old one is erased. Repeating a done commit answers the same.
   */
  public EpochResponse commit(RefreshCommitRequest request) {
    WalletShare current = shares.shareOf(request.walletId());
    byte[] publicKeys = decodeHex("orchestrator", request.publicKeyPackage());
    if (HeldShares.committed(Optional.of(current), request.epoch(), publicKeys)) {
      return new EpochResponse(request.operationId(), nodeId, current.epoch());
    }
    shares.commitStaged(
        request.walletId(),
        request.epoch(),
        publicKeys,
        current.participants(),
        request.acks(),
        " (current epoch " + current.epoch() + ")");
    LOG.info(
        "refresh {} of wallet {}: epoch {} committed, the old share erased",
        request.operationId(),
        request.walletId(),
        request.epoch());
    return new EpochResponse(request.operationId(), nodeId, request.epoch());
  }

  /** Abort: the staged share of the epoch is discarded; the current share signs on. */
  public EpochResponse abort(RefreshAbortRequest request) {
    boolean dealt = sessions.drop(request.operationId());
    WalletShare current = shares.shareOf(request.walletId());
    if (current.epoch() < request.epoch()) {
      shares.store().discard(request.walletId(), request.epoch());
    }
    LOG.info(
        "refresh {} of wallet {} aborted{}",
        request.operationId(),
        request.walletId(),
        dealt ? " (round state erased)" : "");
    return new EpochResponse(request.operationId(), nodeId, current.epoch());
  }

  public int liveSessions() {
    return sessions.live();
  }

  private void requireApproved(RefreshPart1Request request, WalletShare share) {
    int valid =
        LifecycleApprovals.count(
            request.votes(),
            share.participants(),
            identity.peerCertificates(),
            request.operationId(),
            request.walletId(),
            REFRESH,
            request.epoch(),
            "");
    LifecycleApprovals.requireThreshold(
        valid, share.threshold(), "refresh " + request.operationId());
  }

  private Scalar open(RefreshPart2Request request, String dealer, byte[] commitment) {
    byte[] binding =
        LifecycleTranscript.sealBinding(request.operationId(), request.epoch(), commitment);
    return identity.open(
        request.walletId(), binding, dealer, request.sealed().get(dealer), "zero share");
  }

  private static String nodeOf(WalletShare share, Identifier id) {
    for (int i = 0; i < share.participants().size(); i++) {
      if (Identifier.of(i + 1).equals(id)) {
        return share.participants().get(i);
      }
    }
    return id.toString();
  }
}
