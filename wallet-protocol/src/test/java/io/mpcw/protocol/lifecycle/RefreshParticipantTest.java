package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshAbortRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.share.WalletShare;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RefreshParticipantTest {
  private static final byte[] MESSAGE = new byte[32];

  private final RefreshRun run = new RefreshRun();

  private Map<String, KeyPackage> keys() {
    Map<String, KeyPackage> keys = new HashMap<>();
    RefreshRun.NODES.forEach(
        n -> keys.put(n, run.stores.get(n).find(run.walletId).orElseThrow().keyPackage()));
    return keys;
  }

  private byte[] outputKey() {
    return run.publicKeys().verifyingKey().encodeXOnly();
  }

  @Test
  void aRefreshGivesEveryParticipantANewShareOfTheSameKeyInTheNextEpoch() {
    byte[] outputKey = outputKey();
    Map<String, KeyPackage> before = keys();

    run.vote().part1().part2().commit();

    assertThat(run.epoch()).isEqualTo(1);
    assertThat(outputKey()).isEqualTo(outputKey);
    Map<String, KeyPackage> after = keys();
    for (String node : RefreshRun.NODES) {
      WalletShare share = run.stores.get(node).find(run.walletId).orElseThrow();
      assertThat(share.epoch()).isEqualTo(1);
      assertThat(after.get(node).signingShare()).isNotEqualTo(before.get(node).signingShare());
      assertThat(share.publicKeyPackage()).isEqualTo(run.publicKeys());
    }
    for (List<String> signers :
        List.of(
            List.of("node-1", "node-2", "node-3"),
            List.of("node-3", "node-4", "node-5"),
            List.of("node-1", "node-4", "node-5"))) {
      assertThat(Bip340.verify(MESSAGE, outputKey, run.sign(signers, MESSAGE))).isTrue();
    }
    // and again: epochs follow one another
    run.next().vote().part1().part2().commit();
    assertThat(run.epoch()).isEqualTo(2);
    assertThat(
            Bip340.verify(
                MESSAGE, outputKey, run.sign(List.of("node-2", "node-5", "node-1"), MESSAGE)))
        .isTrue();
  }

  @Test
  void untilTheCommitTheOldShareSignsAndTheStagedOneIsOnlyStaged() {
    byte[] outputKey = outputKey();
    run.vote().part1().part2();

    assertThat(run.epoch()).isZero();
    RefreshRun.NODES.forEach(
        n -> assertThat(run.stores.get(n).staged(run.walletId, 1)).isPresent());
    assertThat(
            Bip340.verify(
                MESSAGE, outputKey, run.sign(List.of("node-1", "node-2", "node-3"), MESSAGE)))
        .isTrue();
  }

  @Test
  void partOneWithoutThresholdApprovalsIsRefused() {
    run.policies.put("node-1", (k, w, s) -> Optional.of("refresh freeze until audit"));
    run.policies.put("node-2", (k, w, s) -> Optional.of("refresh freeze until audit"));
    run.policies.put("node-3", (k, w, s) -> Optional.of("refresh freeze until audit"));
    run.vote();

    assertThat(run.votes.get("node-1").decision()).isEqualTo(LifecycleVote.REJECT);
    assertThat(run.votes.get("node-1").reason()).isEqualTo("refresh freeze until audit");
    assertRefused(
        () -> run.nodes.get("node-4").part1(run.part1Request(0)),
        ProtocolErrors.LIFECYCLE_NOT_APPROVED,
        "2 valid approvals");
  }

  @Test
  void aVoteSignedByAnotherNodeOrForAnotherOperationIsNotCounted() {
    run.vote();
    // node-5 signs votes in node-1's and node-2's names: their signatures do not verify
    Map<String, LifecycleVote> forged = new HashMap<>();
    VoteRequest request =
        new VoteRequest(run.operationId, run.walletId, RefreshParticipant.REFRESH, 0, "");
    LifecycleVote byFive = run.nodes.get("node-5").vote(request).vote();
    for (String node : List.of("node-1", "node-2")) {
      forged.put(
          node,
          new LifecycleVote(
              byFive.operationId(),
              byFive.walletId(),
              node,
              byFive.kind(),
              byFive.epoch(),
              byFive.subject(),
              byFive.decision(),
              byFive.reason(),
              byFive.signature()));
    }
    forged.put("node-5", byFive);
    assertRefused(
        () ->
            run.nodes
                .get("node-3")
                .part1(new RefreshPart1Request(run.operationId, run.walletId, 0, forged)),
        ProtocolErrors.LIFECYCLE_NOT_APPROVED,
        "1 valid approvals");

    Map<String, LifecycleVote> otherOperation = new HashMap<>(run.votes);
    assertRefused(
        () ->
            run.nodes
                .get("node-3")
                .part1(new RefreshPart1Request(UUID.randomUUID(), run.walletId, 0, otherOperation)),
        ProtocolErrors.LIFECYCLE_NOT_APPROVED,
        "0 valid approvals");
  }

  @Test
  void aZeroSharingWhoseConstantTermIsNotTheIdentityIsRefusedAndNothingIsStaged() {
    run.vote().part1();
    // node-2's commitment, with its constant term replaced by G: it would move the group key
    byte[] commitment = Hex.decode(run.part1.get("node-2").commitment());
    System.arraycopy(Point.G.encodeCompressed(), 0, commitment, 3, Point.COMPRESSED_BYTES);
    RefreshPart1Response original = run.part1.get("node-2");
    run.part1.put(
        "node-2",
        new RefreshPart1Response(
            original.operationId(), "node-2", Hex.encode(commitment), original.sealed()));

    assertRefused(
        () -> run.nodes.get("node-1").part2(run.part2Request("node-1", 1)),
        ProtocolErrors.LIFECYCLE_CULPRIT,
        "culprit=node-2: zero-sharing commitment refused: the constant term");
    assertThat(run.stores.get("node-1").staged(run.walletId, 1)).isEmpty();
  }

  @Test
  void aZeroShareFromAnotherDealingIsRefusedNamingItsDealer() {
    run.vote().part1();
    RefreshPart1Response three = run.part1.get("node-3");
    // node-3's commitment from a second dealing, beside the sealed shares of its first
    RefreshPart1Response again = run.nodes.get("node-3").part1(run.part1Request(0));
    run.part1.put(
        "node-3",
        new RefreshPart1Response(
            three.operationId(), "node-3", again.commitment(), three.sealed()));

    assertRefused(
        () -> run.nodes.get("node-1").part2(run.part2Request("node-1", 1)),
        ProtocolErrors.LIFECYCLE_CULPRIT,
        "culprit=node-3");
    assertThat(run.stores.get("node-1").staged(run.walletId, 1)).isEmpty();
  }

  @Test
  void aCommitWithoutEveryParticipantsAcknowledgementIsRefusedAndTheOldEpochStays() {
    run.vote().part1().part2();
    RefreshCommitRequest full = run.commitRequest();
    Map<String, String> four = new HashMap<>(full.acks());
    four.remove("node-5");
    assertRefused(
        () ->
            run.nodes
                .get("node-1")
                .commit(
                    new RefreshCommitRequest(
                        full.operationId(), full.walletId(), 1, full.publicKeyPackage(), four)),
        ProtocolErrors.MALFORMED_REQUEST,
        "acknowledgements must come from exactly");

    Map<String, String> swapped = new HashMap<>(full.acks());
    swapped.put("node-5", full.acks().get("node-4"));
    assertRefused(
        () ->
            run.nodes
                .get("node-1")
                .commit(
                    new RefreshCommitRequest(
                        full.operationId(), full.walletId(), 1, full.publicKeyPackage(), swapped)),
        ProtocolErrors.LIFECYCLE_CULPRIT,
        "culprit=node-5");
    assertThat(run.epoch()).isZero();
  }

  @Test
  void aRepeatedCommitAnswersTheCommittedEpoch() {
    run.vote().part1().part2().commit();
    RefreshCommitRequest again = run.commitRequest();

    assertThat(run.nodes.get("node-3").commit(again).epoch()).isEqualTo(1);
  }

  @Test
  void anAbortDiscardsTheStagedShareAndANewRefreshOfTheSameEpochSucceeds() {
    run.vote().part1().part2();
    RefreshRun.NODES.forEach(
        n -> run.nodes.get(n).abort(new RefreshAbortRequest(run.operationId, run.walletId, 1)));

    RefreshRun.NODES.forEach(n -> assertThat(run.stores.get(n).staged(run.walletId, 1)).isEmpty());
    assertThat(run.epoch()).isZero();
    run.next().vote().part1().part2().commit();
    assertThat(run.epoch()).isEqualTo(1);
  }

  @Test
  void partTwoAfterARestartIsRefusedAsUnknown() {
    run.vote().part1();
    RefreshRun fresh = run;
    // a restarted participant has no round state
    RefreshParticipant restarted =
        new RefreshParticipant(
            "node-1",
            fresh.pki.identity("node-1"),
            fresh.pki::certificate,
            fresh.stores.get("node-1"),
            (k, w, s) -> Optional.empty(),
            new java.security.SecureRandom(),
            fresh.clock,
            java.time.Duration.ofMinutes(5));

    assertRefused(
        () -> restarted.part2(run.part2Request("node-1", 1)),
        ProtocolErrors.UNKNOWN_LIFECYCLE_SESSION,
        "no refresh");
  }

  @Test
  void aVoteOrDealingForAnEpochTheNodeDoesNotHoldIsRefused() {
    assertRefused(
        () ->
            run.nodes
                .get("node-1")
                .vote(
                    new VoteRequest(
                        run.operationId, run.walletId, RefreshParticipant.REFRESH, 3, "")),
        ProtocolErrors.WRONG_EPOCH,
        "holds epoch 0");
  }
}
