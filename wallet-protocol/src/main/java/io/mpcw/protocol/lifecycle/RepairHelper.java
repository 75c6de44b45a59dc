package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.lifecycle.LifecycleRefusals.malformed;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.lifecycle.Repair;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Response;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A helper's two steps of a repair: it splits its part of the lost share into random pieces sealed
 * to the other helpers, then sends only the sum of what it received, sealed to the lost participant
 * and bound to the wallet's public keys it holds. It acts only with ≥ t signed approvals of this
 * repair from the other participants.
 */
final class RepairHelper {
  private static final Logger LOG = LoggerFactory.getLogger(RepairParticipant.class);

  /** What step 1 keeps for step 2: the repair it helps with and its own piece. */
  private record Helping(UUID walletId, long epoch, String lost, List<String> helpers, Scalar own) {
    @Override
    public String toString() {
      return "Helping[wallet=" + walletId + ", lost=" + lost + "]";
    }
  }

  private final LifecycleIdentity identity;
  private final HeldShares shares;
  private final SecureRandom random;
  private final RoundSessions<Helping> sessions;

  RepairHelper(
      LifecycleIdentity identity,
      HeldShares shares,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this.identity = identity;
    this.shares = shares;
    this.random = random;
    this.sessions = new RoundSessions<>(clock, sessionTtl);
  }

  /** Step 1: δ = λ(lost)·s split into one random piece per helper, sealed to each. */
  RepairPart1Response part1(RepairPart1Request request) {
    String nodeId = identity.nodeId();
    sessions.purgeExpired();
    WalletShare share = shares.current(request.walletId(), request.epoch());
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
    byte[] binding = RepairBindings.piece(request.operationId(), request.epoch(), request.lost());
    Map<String, String> sealed = new HashMap<>();
    for (String helper : request.helpers()) {
      if (!helper.equals(nodeId)) {
        sealed.put(
            helper,
            identity.seal(request.walletId(), binding, helper, pieces.get(idOf(share, helper))));
      }
    }
    sessions.put(
        request.operationId(),
        new Helping(
            request.walletId(),
            request.epoch(),
            request.lost(),
            request.helpers(),
            pieces.get(idOf(share, nodeId))));
    LOG.info(
        "repair {} of {}'s share of wallet {}: pieces dealt",
        request.operationId(),
        request.lost(),
        request.walletId());
    return new RepairPart1Response(request.operationId(), nodeId, sealed);
  }

  /** Step 2: the sum of its pieces, sealed to the lost participant. */
  RepairPart2Response part2(RepairPart2Request request) {
    String nodeId = identity.nodeId();
    Helping helping = sessions.take(request.operationId()).orElse(null);
    if (helping == null
        || !helping.walletId().equals(request.walletId())
        || helping.epoch() != request.epoch()) {
      throw new ProtocolException(
          ProtocolErrors.UNKNOWN_LIFECYCLE_SESSION,
          "no repair " + request.operationId() + " on " + nodeId + " (expired or restarted)");
    }
    WalletShare share = shares.current(request.walletId(), request.epoch());
    Set<String> others = new HashSet<>(helping.helpers());
    others.remove(nodeId);
    if (!request.sealed().keySet().equals(others)) {
      throw malformed("pieces must come from exactly " + new TreeSet<>(others));
    }
    byte[] binding = RepairBindings.piece(request.operationId(), request.epoch(), helping.lost());
    List<Scalar> received = new ArrayList<>(List.of(helping.own()));
    for (String helper : others) {
      received.add(
          identity.open(
              request.walletId(),
              binding,
              helper,
              request.sealed().get(helper),
              RepairParticipant.SEALED_VALUE));
    }
    byte[] publicKeys = share.publicKeyPackage().encode();
    byte[] sumBinding =
        RepairBindings.sum(
            request.operationId(), request.epoch(), publicKeys, share.groupPublicKey());
    String sealed =
        identity.seal(request.walletId(), sumBinding, helping.lost(), Repair.sum(received));
    LOG.info(
        "repair {} of wallet {}: sum sealed to {}",
        request.operationId(),
        request.walletId(),
        helping.lost());
    return new RepairPart2Response(request.operationId(), nodeId, Hex.encode(publicKeys), sealed);
  }

  /** The approvals of the other participants: the lost one's vote does not count. */
  private void requireApproved(RepairPart1Request request, WalletShare share) {
    List<String> voters = new ArrayList<>(share.participants());
    voters.remove(request.lost());
    int valid =
        LifecycleApprovals.count(
            request.votes(),
            voters,
            identity.peerCertificates(),
            request.operationId(),
            request.walletId(),
            RefreshParticipant.REPAIR,
            request.epoch(),
            request.lost());
    LifecycleApprovals.requireThreshold(
        valid, share.threshold(), "repair " + request.operationId());
  }

  private static Identifier idOf(WalletShare share, String node) {
    return Identifier.of(share.participants().indexOf(node) + 1);
  }
}
