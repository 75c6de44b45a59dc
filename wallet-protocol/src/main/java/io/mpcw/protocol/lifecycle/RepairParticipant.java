package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.lifecycle.Repair;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.dkg.SealedShare;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RepairPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RepairRecoverRequest;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.transport.pki.IdentityCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of a repair (repairable threshold scheme, see {@link Repair}): as one of t
 * helpers it splits its part of the lost share into random pieces sealed to the other helpers, then
 * sends only the sum of what it received, sealed to the lost participant and bound to the wallet's
 * public keys it holds; as the lost participant it adds the helpers' sums and keeps the result only
 * if it matches its verifying share in those public keys. No helper, and not the orchestrator, sees
 * the lost share. A helper acts only with ≥ t signed approvals of this repair from the other
 * participants.
 */
public final class RepairParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(RepairParticipant.class);
  private static final byte[] PIECE_DOMAIN =
      "mpcw/repair-piece/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUM_DOMAIN = "mpcw/repair-sum/v1".getBytes(StandardCharsets.US_ASCII);

  private final String nodeId;
  private final IdentityCredentials identity;
  private final Function<String, Optional<X509Certificate>> peerCertificates;
  private final ShareStore store;
  private final SecureRandom random;
  private final Clock clock;
  private final Duration sessionTtl;
  private final Map<UUID, Helping> sessions = new ConcurrentHashMap<>();

  /** What step 1 keeps for step 2: the repair it helps with and its own piece. */
  private record Helping(
      UUID walletId, long epoch, String lost, List<String> helpers, Scalar own, Instant expiry) {
    @Override
    public String toString() {
      return "Helping[wallet=" + walletId + ", lost=" + lost + "]";
    }
  }

  public RepairParticipant(
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

  /** Step 1 (helper): δ = λ(lost)·s split into one random piece per helper, sealed to each. */
  public RepairPart1Response part1(RepairPart1Request request) {
    purgeExpired();
    WalletShare share = current(request.walletId(), request.epoch());
    List<String> participants = share.participants();
    if (!participants.contains(request.lost()) || request.lost().equals(nodeId)) {
      throw malformed(request.lost() + " is not another participant of the wallet");
    }
    Set<String> helpers = new TreeSet<>(request.helpers());
    if (helpers.size() != request.helpers().size()
        || !helpers.contains(nodeId)
        || helpers.contains(request.lost())
        || !participants.containsAll(helpers)
        || helpers.size() < share.threshold()) {
      throw malformed(
          "helpers must be at least "
              + share.threshold()
              + " distinct participants, this node"
              + " included and "
              + request.lost()
              + " not");
    }
    requireApproved(request, share);
    List<Identifier> ids = new ArrayList<>();
    request.helpers().forEach(h -> ids.add(idOf(share, h)));
    SortedMap<Identifier, Scalar> pieces;
    try {
      pieces = Repair.pieces(share.keyPackage(), ids, idOf(share, request.lost()), random);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
    byte[] binding = pieceBinding(request.operationId(), request.epoch(), request.lost());
    Map<String, String> sealed = new HashMap<>();
    for (String helper : request.helpers()) {
      if (helper.equals(nodeId)) {
        continue;
      }
      byte[] plaintext = pieces.get(idOf(share, helper)).encode();
      try {
        sealed.put(
            helper,
            SealedShare.seal(
                identity,
                certificateOf(helper),
                request.walletId(),
                binding,
                nodeId,
                helper,
                plaintext,
                random));
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
    sessions.put(
        request.operationId(),
        new Helping(
            request.walletId(),
            request.epoch(),
            request.lost(),
            request.helpers(),
            pieces.get(idOf(share, nodeId)),
            clock.instant().plus(sessionTtl)));
    LOG.info(
        "repair {} of {}'s share of wallet {}: pieces dealt",
        request.operationId(),
        request.lost(),
        request.walletId());
    return new RepairPart1Response(request.operationId(), nodeId, sealed);
  }

  /** Step 2 (helper): the sum of its pieces, sealed to the lost participant. */
  public RepairPart2Response part2(RepairPart2Request request) {
    purgeExpired();
    Helping helping = sessions.remove(request.operationId());
    if (helping == null
        || !helping.walletId().equals(request.walletId())
        || helping.epoch() != request.epoch()) {
      throw new ProtocolException(
          ProtocolErrors.UNKNOWN_LIFECYCLE_SESSION,
          "no repair " + request.operationId() + " on " + nodeId + " (expired or restarted)");
    }
    WalletShare share = current(request.walletId(), request.epoch());
    Set<String> others = new HashSet<>(helping.helpers());
    others.remove(nodeId);
    if (!request.sealed().keySet().equals(others)) {
      throw malformed("pieces must come from exactly " + new TreeSet<>(others));
    }
    byte[] binding = pieceBinding(request.operationId(), request.epoch(), helping.lost());
    List<Scalar> received = new ArrayList<>(List.of(helping.own()));
    for (String helper : others) {
      received.add(open(request.walletId(), binding, helper, request.sealed().get(helper)));
    }
    byte[] sum = Repair.sum(received).encode();
    byte[] publicKeys = share.publicKeyPackage().encode();
    try {
      String sealed =
          SealedShare.seal(
              identity,
              certificateOf(helping.lost()),
              request.walletId(),
              sumBinding(
                  request.operationId(), request.epoch(), publicKeys, share.groupPublicKey()),
              nodeId,
              helping.lost(),
              sum,
              random);
      LOG.info(
          "repair {} of wallet {}: sum sealed to {}",
          request.operationId(),
          request.walletId(),
          helping.lost());
      return new RepairPart2Response(request.operationId(), nodeId, Hex.encode(publicKeys), sealed);
    } finally {
      Arrays.fill(sum, (byte) 0);
    }
  }

  /**
   * Step 3 (the lost participant): its share from the helpers' sums, kept only if it matches its
   * verifying share in the public keys every helper vouched for. Never replaces a share.
   */
  public EpochResponse recover(RepairRecoverRequest request) {
    if (store.find(request.walletId()).isPresent()) {
      throw new ProtocolException(
          ProtocolErrors.WALLET_EXISTS, nodeId + " holds a share of wallet " + request.walletId());
    }
    int index = request.participants().indexOf(nodeId);
    if (index < 0) {
      throw new ProtocolException(
          ProtocolErrors.NOT_A_PARTICIPANT, nodeId + " is not a participant of the wallet");
    }
    byte[] publicKeys = hex(request.publicKeyPackage());
    byte[] groupKey = hex(request.groupPublicKey());
    PublicKeyPackage pkp;
    try {
      pkp = PublicKeyPackage.decode(publicKeys);
    } catch (IllegalArgumentException e) {
      throw malformed("public key package: " + e.getMessage());
    }
    if (pkp.minSigners() != request.threshold()
        || pkp.verifyingShares().size() != request.participants().size()) {
      throw malformed("the public key package does not match the threshold and participants");
    }
    Set<String> helpers = request.sums().keySet();
    if (helpers.size() < request.threshold()
        || helpers.contains(nodeId)
        || !request.participants().containsAll(helpers)) {
      throw malformed(
          "sums from at least " + request.threshold() + " other participants are needed");
    }
    // each seal is bound to the public keys its helper holds: all vouch for these
    byte[] binding = sumBinding(request.operationId(), request.epoch(), publicKeys, groupKey);
    List<Scalar> sums = new ArrayList<>();
    for (String helper : helpers) {
      sums.add(open(request.walletId(), binding, helper, request.sums().get(helper)));
    }
    Identifier id = Identifier.of(index + 1);
    KeyPackage keyPackage;
    try {
      keyPackage = Repair.recover(id, sums, pkp);
    } catch (FrostException e) {
      throw new ProtocolException(ProtocolErrors.LIFECYCLE_CULPRIT, e.getMessage());
    }
    WalletShare share =
        new WalletShare(
            request.walletId(),
            nodeId,
            index + 1,
            request.threshold(),
            request.participants(),
            keyPackage,
            pkp,
            groupKey,
            request.epoch());
    try {
      store.save(share);
    } catch (IllegalStateException e) {
      throw new ProtocolException(
          ProtocolErrors.WALLET_EXISTS, nodeId + " holds a share of wallet " + request.walletId());
    }
    LOG.info(
        "repair {}: share of wallet {} rebuilt (epoch {})",
        request.operationId(),
        request.walletId(),
        request.epoch());
    return new EpochResponse(request.operationId(), nodeId, request.epoch());
  }

  private void requireApproved(RepairPart1Request request, WalletShare share) {
    int valid = 0;
    for (Map.Entry<String, LifecycleVote> e : request.votes().entrySet()) {
      String node = e.getKey();
      LifecycleVote vote = e.getValue();
      if (!share.participants().contains(node) || node.equals(request.lost())) {
        continue;
      }
      Optional<X509Certificate> certificate = peerCertificates.apply(node);
      if (certificate.isPresent()
          && vote.writtenBy(node, certificate.get())
          && vote.approves()
          && vote.operationId().equals(request.operationId())
          && vote.walletId().equals(request.walletId())
          && RefreshParticipant.REPAIR.equals(vote.kind())
          && vote.epoch() == request.epoch()
          && vote.subject().equals(request.lost())) {
        valid++;
      }
    }
    if (valid < share.threshold()) {
      throw new ProtocolException(
          ProtocolErrors.LIFECYCLE_NOT_APPROVED,
          valid
              + " valid approvals of repair "
              + request.operationId()
              + ", "
              + share.threshold()
              + " required");
    }
  }

  private Scalar open(UUID walletId, byte[] binding, String sender, String box) {
    byte[] plaintext;
    try {
      plaintext =
          SealedShare.open(identity, certificateOf(sender), walletId, binding, sender, nodeId, box);
    } catch (ProtocolException e) {
      throw culprit(sender, "sealed repair value refused: " + e.getMessage());
    }
    try {
      return Scalar.decode(plaintext);
    } catch (IllegalArgumentException e) {
      throw culprit(sender, "sealed repair value is not a scalar");
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private static byte[] pieceBinding(UUID operationId, long epoch, String lost) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PIECE_DOMAIN);
    out.writeBytes(LifecycleTranscript.uuid(operationId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    LifecycleTranscript.field(out, lost);
    return LifecycleTranscript.sha256(out.toByteArray());
  }

  private static byte[] sumBinding(
      UUID operationId, long epoch, byte[] publicKeys, byte[] groupKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SUM_DOMAIN);
    out.writeBytes(LifecycleTranscript.uuid(operationId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    out.writeBytes(LifecycleTranscript.sha256(publicKeys));
    out.writeBytes(LifecycleTranscript.sha256(groupKey));
    return LifecycleTranscript.sha256(out.toByteArray());
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
      throw new ProtocolException(
          ProtocolErrors.WRONG_EPOCH,
          nodeId + " holds epoch " + share.epoch() + " of wallet " + walletId + ", not " + epoch);
    }
    return share;
  }

  private static Identifier idOf(WalletShare share, String node) {
    return Identifier.of(share.participants().indexOf(node) + 1);
  }

  private static byte[] hex(String value) {
    try {
      return Hex.decode(value);
    } catch (IllegalArgumentException e) {
      throw malformed("not hex");
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

  private static ProtocolException malformed(String why) {
    return new ProtocolException(ProtocolErrors.MALFORMED_REQUEST, why);
  }

  private static ProtocolException culprit(String node, String why) {
    return new ProtocolException(ProtocolErrors.LIFECYCLE_CULPRIT, "culprit=" + node + ": " + why);
  }
}
