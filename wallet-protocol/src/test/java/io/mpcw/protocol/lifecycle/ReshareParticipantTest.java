package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareAbortRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareCommitRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealRequest;
import io.mpcw.protocol.share.WalletShare;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshareParticipantTest {
  private static final byte[] MESSAGE = new byte[32];
  private static final List<String> SEVEN = ReshareRun.ALL;
  private static final List<String> REPLACED =
      List.of("node-1", "node-3", "node-4", "node-5", "node-6");

  private static byte[] outputKey(ReshareRun run) {
    return run.before.publicKeyPackage().verifyingKey().encodeXOnly();
  }

  @Test
  void threeOfFiveBecomesFourOfSevenOnTheSameKeyAndFourOfTheSevenSign() {
    ReshareRun run = new ReshareRun(4, SEVEN, List.of("node-2", "node-4", "node-5"));

    run.vote().deal().receive().commit();

    for (String node : SEVEN) {
      WalletShare share = run.share(node).orElseThrow();
      assertThat(share.epoch()).isEqualTo(1);
      assertThat(share.threshold()).isEqualTo(4);
      assertThat(share.participants()).isEqualTo(SEVEN);
      assertThat(share.publicKeyPackage().verifyingKey())
          .isEqualTo(run.before.publicKeyPackage().verifyingKey());
    }
    for (List<String> signers :
        List.of(
            List.of("node-1", "node-2", "node-3", "node-4"),
            List.of("node-4", "node-5", "node-6", "node-7"),
            List.of("node-1", "node-3", "node-6", "node-7"))) {
      assertThat(Bip340.verify(MESSAGE, outputKey(run), run.sign(signers, MESSAGE))).isTrue();
    }
  }

  @Test
  void replacingNodeTwoByNodeSixErasesNodeTwosShareAndNodeSixSigns() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-3"));

    run.vote().deal().receive().commit();

    assertThat(run.share("node-2")).isEmpty();
    assertThat(run.stores.get("node-2").staged(run.walletId, 1)).isEmpty();
    assertThat(run.share("node-6").orElseThrow().identifier()).isEqualTo(5);
    assertThat(
            Bip340.verify(
                MESSAGE, outputKey(run), run.sign(List.of("node-3", "node-5", "node-6"), MESSAGE)))
        .isTrue();
    // a repeated commit answers the same, at the leaver too
    ReshareCommitRequest again = run.commitRequest();
    assertThat(run.nodes.get("node-2").commit(again).epoch()).isEqualTo(1);
    assertThat(run.nodes.get("node-6").commit(again).epoch()).isEqualTo(1);
  }

  @Test
  void untilTheCommitTheOldSharesStayAndTheJoinerHoldsOnlyAStagedShare() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-3"));

    run.vote().deal().receive();

    assertThat(run.share("node-6")).isEmpty();
    assertThat(run.stores.get("node-6").staged(run.walletId, 1)).isPresent();
    assertThat(run.share("node-2").orElseThrow().epoch()).isZero();
    assertThat(
            Bip340.verify(
                MESSAGE, outputKey(run), run.sign(List.of("node-1", "node-2", "node-5"), MESSAGE)))
        .isTrue();

    run.nodes.get("node-6").abort(new ReshareAbortRequest(run.operationId, run.walletId, 1));
    assertThat(run.stores.get("node-6").staged(run.walletId, 1)).isEmpty();
  }

  @Test
  void aDealingForAnotherSetOrThresholdThanTheApprovedOneIsRefused() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-3"));
    run.vote();

    // the votes approve 3-of-{1,3,4,5,6}; the request asks for node-7 instead of node-6
    ReshareDealRequest other =
        new ReshareDealRequest(
            run.operationId,
            run.walletId,
            0,
            3,
            List.of("node-1", "node-3", "node-4", "node-5", "node-7"),
            run.dealers,
            run.votes);
    assertRefused(
        () -> run.nodes.get("node-1").deal(other),
        ProtocolErrors.LIFECYCLE_NOT_APPROVED,
        "0 valid approvals");
  }

  @Test
  void aQuorumOtherThanThresholdCurrentParticipantsIsRefused() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2"));
    run.vote();

    assertRefused(
        () -> run.nodes.get("node-1").deal(run.dealRequest()),
        ProtocolErrors.MALFORMED_REQUEST,
        "the dealers must be 3 distinct participants");
    ReshareRun stranger = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-6"));
    stranger.vote();
    assertRefused(
        () -> stranger.nodes.get("node-1").deal(stranger.dealRequest()),
        ProtocolErrors.MALFORMED_REQUEST,
        "the dealers must be 3 distinct participants");
  }

  @Test
  void aDealerThatDealsAnotherSecretIsNamedAndNothingIsStaged() {
    ReshareRun run = new ReshareRun(4, SEVEN, List.of("node-2", "node-4", "node-5"));
    // node-4 holds a share one off its verifying share in the wallet's public key package
    WalletShare honest = run.share("node-4").orElseThrow();
    KeyPackage k = honest.keyPackage();
    KeyPackage shifted =
        new KeyPackage(
            k.identifier(),
            k.signingShare().add(io.mpcw.crypto.ec.Scalar.ONE),
            Point.multiplyGenerator(k.signingShare().add(io.mpcw.crypto.ec.Scalar.ONE)),
            k.verifyingKey(),
            k.minSigners());
    run.stores.get("node-4").lose(run.walletId);
    run.stores
        .get("node-4")
        .save(
            new WalletShare(
                honest.walletId(),
                honest.nodeId(),
                honest.identifier(),
                honest.threshold(),
                honest.participants(),
                shifted,
                honest.publicKeyPackage(),
                honest.groupPublicKey(),
                0));
    run.vote().deal();

    assertRefused(
        () -> run.nodes.get("node-6").receive(run.receiveRequest("node-6")),
        ProtocolErrors.LIFECYCLE_CULPRIT,
        "culprit=node-4");
    assertRefused(
        () -> run.nodes.get("node-1").receive(run.receiveRequest("node-1")),
        ProtocolErrors.LIFECYCLE_CULPRIT,
        "constant term");
    assertThat(run.stores.get("node-6").staged(run.walletId, 1)).isEmpty();
    assertThat(run.stores.get("node-1").staged(run.walletId, 1)).isEmpty();
  }

  @Test
  void aJoinerRefusesAnOldWalletTheDealersDidNotSealTo() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-3"));
    run.vote().deal();
    // the orchestrator relays a public key package of its own making to the new node
    PublicKeyPackage real = run.before.publicKeyPackage();
    Map<io.mpcw.crypto.frost.Identifier, Point> forged = new HashMap<>(real.verifyingShares());
    forged.put(io.mpcw.crypto.frost.Identifier.of(5), Point.G);
    PublicKeyPackage fake = new PublicKeyPackage(forged, real.verifyingKey(), 3);

    assertRefused(
        () -> run.nodes.get("node-6").receive(run.receiveRequest("node-6", fake)),
        ProtocolErrors.LIFECYCLE_CULPRIT,
        "sealed sub-share refused");
    // and a current participant never takes the relayed copy over its own
    assertRefused(
        () -> run.nodes.get("node-4").receive(run.receiveRequest("node-4", fake)),
        ProtocolErrors.MALFORMED_REQUEST,
        "not the one this node holds");
  }

  @Test
  void aLeaverKeepsItsShareWithoutEveryNewParticipantsAcknowledgement() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-3"));
    run.vote().deal().receive();
    ReshareCommitRequest full = run.commitRequest();
    Map<String, String> acks = new HashMap<>(full.acks());
    acks.remove("node-6");
    ReshareCommitRequest missing =
        new ReshareCommitRequest(
            full.operationId(),
            full.walletId(),
            1,
            3,
            REPLACED,
            full.publicKeyPackage(),
            acks,
            full.votes());

    assertRefused(
        () -> run.nodes.get("node-2").commit(missing),
        ProtocolErrors.MALFORMED_REQUEST,
        "acknowledgements must come from exactly");
    assertThat(run.share("node-2")).isPresent();

    // nor without the approvals of this reshare
    ReshareCommitRequest unapproved =
        new ReshareCommitRequest(
            full.operationId(),
            full.walletId(),
            1,
            3,
            REPLACED,
            full.publicKeyPackage(),
            full.acks(),
            Map.of());
    assertRefused(
        () -> run.nodes.get("node-2").commit(unapproved),
        ProtocolErrors.LIFECYCLE_NOT_APPROVED,
        "0 valid approvals");
    assertThat(run.share("node-2")).isPresent();
  }

  @Test
  void aReshareVoteForAThresholdBelowTwoOrADuplicateNodeIsRejected() {
    ReshareRun run = new ReshareRun(3, REPLACED, List.of("node-1", "node-2", "node-3"));
    for (String subject : List.of("1:node-1,node-2", "2:node-1,node-1", "4:node-1,node-2", "x")) {
      LifecycleVote vote =
          run.voters
              .get("node-1")
              .vote(
                  new VoteRequest(
                      run.operationId, run.walletId, RefreshParticipant.RESHARE, 0, subject))
              .vote();
      assertThat(vote.decision()).as(subject).isEqualTo(LifecycleVote.REJECT);
      assertThat(vote.reason()).as(subject).startsWith("not a valid reshare");
    }
  }
}
