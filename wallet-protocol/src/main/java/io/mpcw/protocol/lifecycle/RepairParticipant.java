package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.lifecycle.LifecycleRefusals.malformed;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.lifecycle.Repair;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairRecoverRequest;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.transport.pki.IdentityCredentials;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's side of a repair (repairable threshold scheme, see {@link Repair}): as one of t
 * helpers ({@link RepairHelper}) it splits its part of the lost share into random pieces sealed to
 * the other helpers, then sends only the sum of what it received, sealed to the lost participant
 * and bound to the wallet's public keys it holds; as the lost participant it adds the helpers' sums
 * and keeps the result only if it matches its verifying share in those public keys. No helper, and
 * not the orchestrator, sees the lost share. A helper acts only with ≥ t signed approvals of this
 * repair from the other participants.
 */
public final class RepairParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(RepairParticipant.class);

  /** How a sealed piece or sum is named when its sender is blamed for it. */
  static final String SEALED_VALUE = "repair value";

  private final String nodeId;
  private final LifecycleIdentity identity;
  private final ShareStore store;
  private final RepairHelper helper;

  public RepairParticipant(
      String nodeId,
      IdentityCredentials identity,
      Function<String, Optional<X509Certificate>> peerCertificates,
      ShareStore store,
      SecureRandom random,
      Clock clock,
      Duration sessionTtl) {
    this.identity = new LifecycleIdentity(nodeId, identity, peerCertificates, random);
    this.nodeId = nodeId;
    HeldShares shares = new HeldShares(this.identity, store);
    this.store = store;
    this.helper = new RepairHelper(this.identity, shares, random, clock, sessionTtl);
  }

  /** Step 1 (helper): δ = λ(lost)·s split into one random piece per helper, sealed to each. */
  public RepairPart1Response part1(RepairPart1Request request) {
    return helper.part1(request);
  }

  /** Step 2 (helper): the sum of its pieces, sealed to the lost participant. */
  public RepairPart2Response part2(RepairPart2Request request) {
    return helper.part2(request);
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
    byte[] binding =
        RepairBindings.sum(request.operationId(), request.epoch(), publicKeys, groupKey);
    List<Scalar> sums = new ArrayList<>();
    for (String helper : helpers) {
      sums.add(
          identity.open(
              request.walletId(), binding, helper, request.sums().get(helper), SEALED_VALUE));
    }
    KeyPackage keyPackage;
    try {
      keyPackage = Repair.recover(Identifier.of(index + 1), sums, pkp);
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

  private static byte[] hex(String value) {
    try {
      return Hex.decode(value);
    } catch (IllegalArgumentException e) {
      throw malformed("not hex");
    }
  }
}
