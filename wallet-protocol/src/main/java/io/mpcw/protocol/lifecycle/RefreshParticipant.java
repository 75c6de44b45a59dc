package io.mpcw.protocol.lifecycle;

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
import io.mpcw.protocol.dkg.SealedShare;
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
import io.mpcw.transport.pki.IdentityKeys;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of the key lifecycle: its vote, and the refresh (proactive secret sharing, see
 * {@link Refresh}). The node trusts the orchestrator with nothing: it deals only when ≥ t
 * participants signed approvals of this very operation, its zero shares travel sealed to their
 * recipients, it stages a new share only after checking every zero share against its dealer's
 * commitment (constant term the identity, degree the wallet's), and it commits the staged share
 * only when every participant signed that it staged a share of the same public key package. Round
 * state lives in memory only, keyed by operation; a restart loses it and the operation deals again.
 */
public final class RefreshParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshParticipant.class);
  public static final String REFRESH = "refresh";
  public static final String REPAIR = "repair";
  public static final String RESHARE = "reshare";

  private final String nodeId;
  private final IdentityCredentials identity;
  private final Function<String, Optional<X509Certificate>> peerCertificates;
  private final ShareStore store;
  private final LifecyclePolicy policy;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration sessionTtl;
  private final Map<UUID, Dealt> sessions = new ConcurrentHashMap<>();

  /** What part 1 keeps for part 2: the epoch it dealt for and its own zero share to itself. */
  private record Dealt(
      UUID walletId, long newEpoch, byte[] commitment, Scalar own, Instant expiry) {
    @Override
    public String toString() {
      return "Dealt[wallet=" + walletId + ", epoch=" + newEpoch + "]";
    }
  }

  public RefreshParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      LifecyclePolicy policy,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.peerCertificates = Objects.requireNonNull(peerCertificates, "peerCertificates");
    this.store = Objects.requireNonNull(store, "store");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sessionTtl = Objects.requireNonNull(sessionTtl, "sessionTtl");
  }

  /** This node's vote by its own policy, signed; it must hold the wallet in the named epoch. */
  public VoteResponse vote(VoteRequest request) {
    WalletShare share = current(request.walletId(), request.epoch());
    Optional<String> refusal =
        policy.refusal(request.kind(), request.walletId(), request.subject());
    if (refusal.isEmpty()
        && !REFRESH.equals(request.kind())
        && !REPAIR.equals(request.kind())
        && !RESHARE.equals(request.kind())) {
      refusal = Optional.of("this node does not take part in " + request.kind() + " operations");
    }
    if (refusal.isEmpty() && RESHARE.equals(request.kind())) {
      try {
        ReshareSubject.parse(request.subject());
      } catch (IllegalArgumentException e) {
        refusal = Optional.of("not a valid reshare: " + e.getMessage());
      }
    }
    if (refusal.isEmpty()
        && REPAIR.equals(request.kind())
        && (!share.participants().contains(request.subject())
            || request.subject().equals(nodeId))) {
      refusal = Optional.of(request.subject() + " is not another participant of this wallet");
    }
    String decision = refusal.isPresent() ? LifecycleVote.REJECT : LifecycleVote.APPROVE;
    String reason = refusal.orElse("policy allows " + request.kind());
    LOG.info(
        "lifecycle vote on {} of wallet {} (epoch {}): {} ({})",
        request.kind(),
        share.walletId(),
        request.epoch(),
        decision,
        reason);
    return new VoteResponse(LifecycleVote.sign(identity, request, decision, reason));
  }

  /** Part 1: with ≥ t approvals, a fresh zero-sharing; each peer's share sealed to it. */
  public RefreshPart1Response part1(RefreshPart1Request request) {
    purgeExpired();
    WalletShare share = current(request.walletId(), request.epoch());
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
              if (peer.equals(nodeId)) {
                return;
              }
              byte[] plaintext = z.encode();
              try {
                sealed.put(
                    peer,
                    SealedShare.seal(
                        identity,
                        certificateOf(peer),
                        request.walletId(),
                        binding,
                        nodeId,
                        peer,
                        plaintext,
                        random));
              } finally {
                Arrays.fill(plaintext, (byte) 0);
              }
            });
    Scalar own = dealing.shares().get(Identifier.of(share.identifier()));
    sessions.put(
        request.operationId(),
        new Dealt(request.walletId(), newEpoch, commitment, own, clock.instant().plus(sessionTtl)));
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
    purgeExpired();
    Dealt dealt = sessions.remove(request.operationId());
    if (dealt == null
        || !dealt.walletId().equals(request.walletId())
        || dealt.newEpoch() != request.epoch()) {
      throw new ProtocolException(
          ProtocolErrors.UNKNOWN_LIFECYCLE_SESSION,
          "no refresh "
              + request.operationId()
              + " to epoch "
              + request.epoch()
              + " on "
              + nodeId
              + " (expired, restarted, or never dealt)");
    }
    WalletShare share = current(request.walletId(), request.epoch() - 1);
    requireExactly(Set.copyOf(share.participants()), request.commitments().keySet(), "commitments");
    Set<String> peers = new TreeSet<>(share.participants());
    peers.remove(nodeId);
    requireExactly(peers, request.sealed().keySet(), "sealed zero shares");
    String ownHex = request.commitments().get(nodeId);
    if (!Arrays.equals(decodeHex(nodeId, ownHex), dealt.commitment())) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, "this node's commitment was not relayed unchanged");
    }
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
    store.stage(share.next(next, nextPublic, request.epoch()));
    byte[] encoded = nextPublic.encode();
    byte[] ack =
        IdentityKeys.sign(
            identity,
            LifecycleTranscript.ackPayload(request.walletId(), request.epoch(), nodeId, encoded));
    LOG.info(
        "refresh {} of wallet {}: share of epoch {} staged",
        request.operationId(),
        request.walletId(),
        request.epoch());
    return new RefreshPart2Response(
        request.operationId(),
        nodeId,
        request.epoch(),
        Hex.encode(encoded),
        Base64.getEncoder().encodeToString(ack));
  }

  /**
   * Commit: with every participant's acknowledgement of the staged package, the staged share
   * becomes current and the old one is erased. Repeating a done commit answers the same.
   */
  public EpochResponse commit(RefreshCommitRequest request) {
    WalletShare current = shareOf(request.walletId());
    byte[] publicKeys = decodeHex("orchestrator", request.publicKeyPackage());
    if (current.epoch() == request.epoch()
        && Arrays.equals(current.publicKeyPackage().encode(), publicKeys)) {
      return new EpochResponse(request.operationId(), nodeId, current.epoch());
    }
    WalletShare staged =
        store
            .staged(request.walletId(), request.epoch())
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.WRONG_EPOCH,
                        nodeId
                            + " has no share of epoch "
                            + request.epoch()
                            + " staged (current epoch "
                            + current.epoch()
                            + ")"));
    if (!Arrays.equals(staged.publicKeyPackage().encode(), publicKeys)) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "the public key package to commit is not the one this node staged");
    }
    requireExactly(Set.copyOf(current.participants()), request.acks().keySet(), "acknowledgements");
    for (String node : current.participants()) {
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(request.acks().get(node));
      } catch (IllegalArgumentException e) {
        throw culprit(node, "acknowledgement is not base64");
      }
      byte[] payload =
          LifecycleTranscript.ackPayload(request.walletId(), request.epoch(), node, publicKeys);
      if (!IdentityKeys.verify(certificateOf(node), payload, signature)) {
        throw culprit(node, "acknowledgement does not verify for this public key package");
      }
    }
    store.commit(request.walletId(), request.epoch());
    LOG.info(
        "refresh {} of wallet {}: epoch {} committed, the old share erased",
        request.operationId(),
        request.walletId(),
        request.epoch());
    return new EpochResponse(request.operationId(), nodeId, request.epoch());
  }

  /** Abort: the staged share of the epoch is discarded; the current share signs on. */
  public EpochResponse abort(RefreshAbortRequest request) {
    Dealt dealt = sessions.remove(request.operationId());
    WalletShare current = shareOf(request.walletId());
    if (current.epoch() < request.epoch()) {
      store.discard(request.walletId(), request.epoch());
    }
    LOG.info(
        "refresh {} of wallet {} aborted{}",
        request.operationId(),
        request.walletId(),
        dealt == null ? "" : " (round state erased)");
    return new EpochResponse(request.operationId(), nodeId, current.epoch());
  }

  public int liveSessions() {
    purgeExpired();
    return sessions.size();
  }

  private void requireApproved(RefreshPart1Request request, WalletShare share) {
    int valid =
        LifecycleApprovals.count(
            request.votes(),
            share.participants(),
            peerCertificates,
            request.operationId(),
            request.walletId(),
            REFRESH,
            request.epoch(),
            "");
    if (valid < share.threshold()) {
      throw new ProtocolException(
          ProtocolErrors.LIFECYCLE_NOT_APPROVED,
          valid
              + " valid approvals of refresh "
              + request.operationId()
              + ", "
              + share.threshold()
              + " required");
    }
  }

  private Scalar open(RefreshPart2Request request, String dealer, byte[] commitment) {
    byte[] binding =
        LifecycleTranscript.sealBinding(request.operationId(), request.epoch(), commitment);
    byte[] plaintext;
    try {
      plaintext =
          SealedShare.open(
              identity,
              certificateOf(dealer),
              request.walletId(),
              binding,
              dealer,
              nodeId,
              request.sealed().get(dealer));
    } catch (ProtocolException e) {
      throw culprit(dealer, "sealed zero share refused: " + e.getMessage());
    }
    try {
      return Scalar.decode(plaintext);
    } catch (IllegalArgumentException e) {
      throw culprit(dealer, "sealed zero share is not a scalar");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private WalletShare current(UUID walletId, long epoch) {
    WalletShare share = shareOf(walletId);
    if (share.epoch() != epoch) {
      throw new ProtocolException(
          ProtocolErrors.WRONG_EPOCH,
          nodeId + " holds epoch " + share.epoch() + " of wallet " + walletId + ", not " + epoch);
    }
    return share;
  }

  private WalletShare shareOf(UUID walletId) {
    return store
        .find(walletId)
        .orElseThrow(
            () ->
                new ProtocolException(
                    ProtocolErrors.NOT_A_PARTICIPANT,
                    nodeId + " holds no share of wallet " + walletId));
  }

  private static String nodeOf(WalletShare share, Identifier id) {
    for (int i = 0; i < share.participants().size(); i++) {
      if (Identifier.of(i + 1).equals(id)) {
        return share.participants().get(i);
      }
    }
    return id.toString();
  }

  private static void requireExactly(Set<String> expected, Set<String> actual, String what) {
    if (!actual.equals(expected)) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          what
              + " must come from exactly "
              + new TreeSet<>(expected)
              + ", got "
              + new TreeSet<>(actual));
    }
  }

  private static byte[] decodeHex(String node, String hex) {
    try {
      return Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw culprit(node, "not hex");
    }
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    sessions.entrySet().removeIf(e -> !now.isBefore(e.getValue().expiry()));
  }

  private X509Certificate certificateOf(String node) {
    return peerCertificates
        .apply(node)
        .orElseThrow(() -> culprit(node, "no certificate is known for this participant"));
  }

  private static ProtocolException culprit(String node, String why) {
    return new ProtocolException(ProtocolErrors.LIFECYCLE_CULPRIT, "culprit=" + node + ": " + why);
  }
}
