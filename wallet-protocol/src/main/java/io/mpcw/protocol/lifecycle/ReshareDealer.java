package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.lifecycle.Reshare;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealResponse;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1 of a reshare, at one of the t dealers: with ≥ t approvals of this very subject, its
 * weighted share dealt to the new set, each sub-share sealed to its receiver; a dealer that is also
 * a receiver keeps its own sub-share for step 2.
 */
final class ReshareDealer {
  private static final Logger LOG = LoggerFactory.getLogger(ReshareParticipant.class);

  private final LifecycleIdentity identity;
  private final HeldShares shares;
  private final SecureRandom random;
  private final RoundSessions<DealtRound> sessions;

  ReshareDealer(
      LifecycleIdentity identity,
      HeldShares shares,
      SecureRandom random,
      RoundSessions<DealtRound> sessions) {
    this.identity = identity;
    this.shares = shares;
    this.random = random;
    this.sessions = sessions;
  }

  ReshareDealResponse deal(ReshareDealRequest request) {
    String nodeId = identity.nodeId();
    sessions.purgeExpired();
    WalletShare share = shares.current(request.walletId(), request.epoch());
    ReshareSubject subject = ReshareChecks.subject(request.threshold(), request.participants());
    ReshareChecks.requireApproved(
        identity.peerCertificates(),
        request.votes(),
        share.participants(),
        share.threshold(),
        request.operationId(),
        request.walletId(),
        request.epoch(),
        subject);
    ReshareChecks.requireQuorum(request.dealers(), share.participants(), share.threshold());
    if (!request.dealers().contains(nodeId)) {
      throw new ProtocolException(
          ProtocolErrors.MALFORMED_REQUEST, nodeId + " is not among the dealers");
    }
    List<Identifier> quorum = new ArrayList<>();
    request.dealers().forEach(d -> quorum.add(ReshareChecks.identifierIn(share.participants(), d)));
    Reshare.Dealing dealing =
        Reshare.deal(
            share.keyPackage(),
            quorum,
            ReshareChecks.receivers(subject),
            subject.threshold(),
            random);
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
      } else {
        sealed.put(receiver, identity.seal(request.walletId(), binding, receiver, sub));
      }
    }
    if (own != null) {
      sessions.put(
          request.operationId(), new DealtRound(request.walletId(), newEpoch, commitment, own));
    }
    LOG.info(
        "reshare {} of wallet {}: dealt to {} receivers for epoch {}",
        request.operationId(),
        request.walletId(),
        subject.participants().size(),
        newEpoch);
    return new ReshareDealResponse(request.operationId(), nodeId, Hex.encode(commitment), sealed);
  }
}
