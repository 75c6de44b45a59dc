package io.mpcw.protocol.lifecycle;

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
import io.mpcw.protocol.dkg.SealedShare;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.ReshareAbortRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.ReshareCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.ReshareDealRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.ReshareDealResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.ReshareReceiveRequest;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.IdentityKeys;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
 * One node's side of a reshare (see {@link Reshare}): the wallet's key moves from t-of-n on the
 * current set to t'-of-n' on a new set, same group key. As a dealer (one of a quorum of t current
 * participants) the node deals only with ≥ t signed approvals of this very reshare (its new set and
 * threshold are the votes' subject); as a receiver (a node of the new set, which may hold nothing
 * of the wallet yet) it checks every dealer's commitment against the current public key package and
 * every sub-share against its commitment before it stages anything; at the commit a node of the new
 * set makes its staged share current, and a node of the old set only erases its share once every
 * new participant signed that it staged a share of the same package, of the same key. Round state
 * lives in memory only; a restart loses it and the operation deals again.
 */
public final class ReshareParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(ReshareParticipant.class);

  private final String nodeId;
  private final IdentityCredentials identity;
  private final Function<String, Optional<X509Certificate>> peerCertificates;
  private final ShareStore store;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration sessionTtl;
  private final Map<UUID, Dealt> sessions = new ConcurrentHashMap<>();

  /** What a dealer that is also a receiver keeps for step 2: its sub-share to itself. */
  private record Dealt(
      UUID walletId, long newEpoch, byte[] commitment, Scalar own, Instant expiry) {
    @Override
    public String toString() {
      return "Dealt[wallet=" + walletId + ", epoch=" + newEpoch + "]";
    }
  }

  public ReshareParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.peerCertificates = Objects.requireNonNull(peerCertificates, "peerCertificates");
    this.store = Objects.requireNonNull(store, "store");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sessionTtl = Objects.requireNonNull(sessionTtl, "sessionTtl");
  }

  /** Step 1, at a dealer: its weighted share dealt to the new set, each sub-share sealed. */
  public ReshareDealResponse deal(ReshareDealRequest request) {
    purgeExpired();
    WalletShare share = current(request.walletId(), request.epoch());
    ReshareSubject subject = subject(request.threshold(), request.participants());
    requireApproved(
        request.votes(),
        share.participants(),
        share.threshold(),
        request.operationId(),
        request.walletId(),
        request.epoch(),
        subject);
    requireQuorum(request.dealers(), share.participants(), share.threshold());
    if (!request.dealers().contains(nodeId)) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, nodeId + " is not among the dealers");
    }
    List<Identifier> quorum = oldIdentifiers(request.dealers(), share.participants());
    List<Identifier> receivers = new ArrayList<>();
    for (int i = 1; i <= subject.participants().size(); i++) {
      receivers.add(Identifier.of(i));
    }
    Reshare.Dealing dealing =
        Reshare.deal(share.keyPackage(), quorum, receivers, subject.threshold(), random);
    byte[] commitment = dealing.commitment().encode();
    long newEpoch = request.epoch() + 1;
    byte[] binding =
        LifecycleTranscript.reshareSealBinding(
            request.operationId(),
            newEpoch,
            subject,
            request.dealers(),
            share.participants(),
            share.publicKeyPackage().encode(),
            share.groupPublicKey(),
            commitment);
    Map<String, String> sealed = new HashMap<>();
    Scalar own = null;
    for (String receiver : subject.participants()) {
      Scalar sub = dealing.shares().get(Identifier.of(subject.identifierOf(receiver)));
      if (receiver.equals(nodeId)) {
        own = sub;
        continue;
      }
      byte[] plaintext = sub.encode();
      try {
        sealed.put(
            receiver,
            SealedShare.seal(
                identity,
                certificateOf(receiver),
                request.walletId(),
                binding,
                nodeId,
                receiver,
                plaintext,
                random));
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
    if (own != null) {
      sessions.put(
          request.operationId(),
          new Dealt(
              request.walletId(), newEpoch, commitment, own, clock.instant().plus(sessionTtl)));
    }
    LOG.info(
        "reshare {} of wallet {}: dealt to {} receivers for epoch {}",
        request.operationId(),
        request.walletId(),
        subject.participants().size(),
        newEpoch);
    return new ReshareDealResponse(request.operationId(), nodeId, Hex.encode(commitment), sealed);
  }

  /**
   * Step 2, at a receiver: the old wallet is this node's own when it holds it, else what the
   * orchestrator relays, which every dealer's seal vouches for. Every commitment and sub-share is
   * checked, the new share is staged durably, then the new public key package is acknowledged.
   */
  public RefreshPart2Response receive(ReshareReceiveRequest request) {
    purgeExpired();
    ReshareSubject subject = subject(request.threshold(), request.participants());
    int newIdentifier = subject.identifierOf(nodeId);
    if (newIdentifier == 0) {
      throw new ProtocolException(
          ProtocolErrors.NOT_A_PARTICIPANT, nodeId + " is not in the new set of this reshare");
    }
    byte[] oldPublicKeys = decodeHex("orchestrator", request.oldPublicKeyPackage());
    byte[] groupPublicKey = decodeHex("orchestrator", request.groupPublicKey());
    PublicKeyPackage oldPackage;
    try {
      oldPackage = PublicKeyPackage.decode(oldPublicKeys);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, "old public key package: " + e.getMessage());
    }
    long oldEpoch = request.epoch() - 1;
    Optional<WalletShare> held = store.find(request.walletId());
    if (held.isPresent()) {
      WalletShare share = held.get();
      if (share.epoch() != oldEpoch) {
        throw wrongEpoch(request.walletId(), share.epoch(), oldEpoch);
      }
      // a node that holds the wallet trusts its own copy, never the relayed one
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
    int oldThreshold = oldPackage.minSigners();
    requireApproved(
        request.votes(),
        request.oldParticipants(),
        oldThreshold,
        request.operationId(),
        request.walletId(),
        oldEpoch,
        subject);
    requireQuorum(request.dealers(), request.oldParticipants(), oldThreshold);
    requireExactly(Set.copyOf(request.dealers()), request.commitments().keySet(), "commitments");
    Set<String> sealedFrom = new TreeSet<>(request.dealers());
    sealedFrom.remove(nodeId);
    requireExactly(sealedFrom, request.sealed().keySet(), "sealed sub-shares");
    Dealt dealt = null;
    if (request.dealers().contains(nodeId)) {
      dealt = sessions.remove(request.operationId());
      if (dealt == null
          || !dealt.walletId().equals(request.walletId())
          || dealt.newEpoch() != request.epoch()) {
        throw new ProtocolException(
            ProtocolErrors.UNKNOWN_LIFECYCLE_SESSION,
            "no reshare "
                + request.operationId()
                + " to epoch "
                + request.epoch()
                + " dealt on "
                + nodeId
                + " (expired, restarted, or never dealt)");
      }
    }
    Map<Identifier, ReshareCommitment> commitments = new TreeMap<>();
    Map<Identifier, Scalar> subShares = new TreeMap<>();
    Map<Identifier, String> dealerOf = new HashMap<>();
    for (String dealer : request.dealers()) {
      Identifier id = Identifier.of(request.oldParticipants().indexOf(dealer) + 1);
      dealerOf.put(id, dealer);
      byte[] commitmentBytes = decodeHex(dealer, request.commitments().get(dealer));
      try {
        commitments.put(id, ReshareCommitment.decode(commitmentBytes));
      } catch (IllegalArgumentException e) {
        throw culprit(dealer, "reshare commitment refused: " + e.getMessage());
      }
      if (dealer.equals(nodeId)) {
        if (!Arrays.equals(commitmentBytes, dealt.commitment())) {
          throw new ProtocolException(
              ProtocolErrors.MALFORMED_REQUEST, "this node's commitment was not relayed unchanged");
        }
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
        subShares.put(id, open(request, dealer, binding));
      }
    }
    List<Identifier> receivers = new ArrayList<>();
    for (int i = 1; i <= subject.participants().size(); i++) {
      receivers.add(Identifier.of(i));
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
          Reshare.newPublicKeyPackage(oldPackage, commitments, receivers, subject.threshold());
    } catch (CulpritException e) {
      throw culprit(dealerOf.getOrDefault(e.culprit(), e.culprit().toString()), e.getMessage());
    } catch (FrostException e) {
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
    store.stage(
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
    byte[] encoded = nextPublic.encode();
    byte[] ack =
        IdentityKeys.sign(
            identity,
            LifecycleTranscript.ackPayload(request.walletId(), request.epoch(), nodeId, encoded));
    LOG.info(
        "reshare {} of wallet {}: share of epoch {} staged ({} of {})",
        request.operationId(),
        request.walletId(),
        request.epoch(),
        subject.threshold(),
        subject.participants().size());
    return new RefreshPart2Response(
        request.operationId(),
        nodeId,
        request.epoch(),
        Hex.encode(encoded),
        Base64.getEncoder().encodeToString(ack));
  }

  /**
   * Commit: with every new participant's acknowledgement of the package, a node of the new set
   * makes its staged share current (the old one erased), a node only of the old set erases its
   * share. Repeating a done commit answers the same.
   */
  public EpochResponse commit(ReshareCommitRequest request) {
    ReshareSubject subject = subject(request.threshold(), request.participants());
    byte[] publicKeys = decodeHex("orchestrator", request.publicKeyPackage());
    Optional<WalletShare> held = store.find(request.walletId());
    if (subject.identifierOf(nodeId) == 0) {
      return leave(request, subject, publicKeys, held);
    }
    if (held.isPresent()
        && held.get().epoch() == request.epoch()
        && Arrays.equals(held.get().publicKeyPackage().encode(), publicKeys)) {
      return new EpochResponse(request.operationId(), nodeId, request.epoch());
    }
    WalletShare staged =
        store
            .staged(request.walletId(), request.epoch())
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.WRONG_EPOCH,
                        nodeId + " has no share of epoch " + request.epoch() + " staged"));
    if (!Arrays.equals(staged.publicKeyPackage().encode(), publicKeys)) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "the public key package to commit is not the one this node staged");
    }
    requireAcks(request, subject, publicKeys);
    store.commit(request.walletId(), request.epoch());
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
      store.discard(request.walletId(), request.epoch());
      return new EpochResponse(request.operationId(), nodeId, request.epoch());
    }
    WalletShare share = held.get();
    if (share.epoch() != request.epoch() - 1) {
      throw wrongEpoch(request.walletId(), share.epoch(), request.epoch() - 1);
    }
    requireApproved(
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
    requireAcks(request, subject, publicKeys);
    store.erase(request.walletId(), request.epoch());
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
    sessions.remove(request.operationId());
    Optional<WalletShare> held = store.find(request.walletId());
    if (held.isEmpty() || held.get().epoch() < request.epoch()) {
      store.discard(request.walletId(), request.epoch());
    }
    LOG.info("reshare {} of wallet {} aborted", request.operationId(), request.walletId());
    return new EpochResponse(
        request.operationId(), nodeId, held.map(WalletShare::epoch).orElse(request.epoch() - 1));
  }

  public int liveSessions() {
    purgeExpired();
    return sessions.size();
  }

  private void requireAcks(ReshareCommitRequest request, ReshareSubject subject, byte[] keys) {
    requireExactly(Set.copyOf(subject.participants()), request.acks().keySet(), "acknowledgements");
    for (String node : subject.participants()) {
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(request.acks().get(node));
      } catch (IllegalArgumentException e) {
        throw culprit(node, "acknowledgement is not base64");
      }
      byte[] payload =
          LifecycleTranscript.ackPayload(request.walletId(), request.epoch(), node, keys);
      if (!IdentityKeys.verify(certificateOf(node), payload, signature)) {
        throw culprit(node, "acknowledgement does not verify for this public key package");
      }
    }
  }

  private void requireApproved(
      Map<String, LifecycleVote> votes,
      List<String> participants,
      int threshold,
      UUID operationId,
      UUID walletId,
      long epoch,
      ReshareSubject subject) {
    int valid =
        LifecycleApprovals.count(
            votes,
            participants,
            peerCertificates,
            operationId,
            walletId,
            RefreshParticipant.RESHARE,
            epoch,
            subject.encode());
    if (valid < threshold) {
      throw new ProtocolException(
          ProtocolErrors.LIFECYCLE_NOT_APPROVED,
          valid
              + " valid approvals of reshare "
              + operationId
              + " to "
              + subject.encode()
              + ", "
              + threshold
              + " required");
    }
  }

  /** Exactly t distinct dealers, all current participants. */
  private static void requireQuorum(List<String> dealers, List<String> participants, int t) {
    if (new HashSet<>(dealers).size() != dealers.size()
        || dealers.size() != t
        || !participants.containsAll(dealers)) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST,
          "the dealers must be "
              + t
              + " distinct participants of "
              + participants
              + ", got "
              + dealers);
    }
  }

  private static List<Identifier> oldIdentifiers(List<String> dealers, List<String> participants) {
    List<Identifier> ids = new ArrayList<>();
    dealers.forEach(d -> ids.add(Identifier.of(participants.indexOf(d) + 1)));
    return ids;
  }

  private static ReshareSubject subject(int threshold, List<String> participants) {
    try {
      return new ReshareSubject(threshold, participants);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
  }

  private Scalar open(ReshareReceiveRequest request, String dealer, byte[] binding) {
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
      throw culprit(dealer, "sealed sub-share refused: " + e.getMessage());
    }
    try {
      return Scalar.decode(plaintext);
    } catch (IllegalArgumentException e) {
      throw culprit(dealer, "sealed sub-share is not a scalar");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private WalletShare current(UUID walletId, long epoch) {
    WalletShare share =
        store
            .find(walletId)
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.NOT_A_PARTICIPANT,
                        nodeId + " holds no share of wallet " + walletId));
    if (share.epoch() != epoch) {
      throw wrongEpoch(walletId, share.epoch(), epoch);
    }
    return share;
  }

  private ProtocolException wrongEpoch(UUID walletId, long held, long asked) {
    return new ProtocolException(
        ProtocolErrors.WRONG_EPOCH,
        nodeId + " holds epoch " + held + " of wallet " + walletId + ", not " + asked);
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
        .orElseThrow(() -> culprit(node, "no certificate is known for this node"));
  }

  private static ProtocolException culprit(String node, String why) {
    return new ProtocolException(ProtocolErrors.LIFECYCLE_CULPRIT, "culprit=" + node + ": " + why);
  }
}
