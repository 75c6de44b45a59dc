package io.mpcw.protocol.lifecycle;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairRecoverRequest;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RepairParticipantTest {
  private static final List<String> HELPERS = List.of("node-1", "node-4", "node-5");
  private static final String LOST = "node-3";

  private final RefreshRun run = new RefreshRun();
  private final Map<String, RepairParticipant> nodes = new LinkedHashMap<>();
  private final UUID operationId = UUID.randomUUID();
  private final Map<String, LifecycleVote> votes = new HashMap<>();
  private final WalletShare lostShare;

  RepairParticipantTest() {
    RefreshRun.NODES.forEach(
        n ->
            nodes.put(
                n,
                new RepairParticipant(
                    n,
                    run.pki.identity(n),
                    run.pki::certificate,
                    run.stores.get(n),
                    new SecureRandom(),
                    run.clock,
                    Duration.ofMinutes(5))));
    lostShare = run.stores.get(LOST).find(run.walletId).orElseThrow();
    run.stores.get(LOST).lose(run.walletId);
  }

  private void vote() {
    VoteRequest request =
        new VoteRequest(operationId, run.walletId, RefreshParticipant.REPAIR, 0, LOST);
    for (String node : RefreshRun.NODES) {
      if (!node.equals(LOST)) {
        votes.put(node, run.nodes.get(node).vote(request).vote());
      }
    }
  }

  private Map<String, RepairPart1Response> part1() {
    Map<String, RepairPart1Response> out = new HashMap<>();
    RepairPart1Request request =
        new RepairPart1Request(operationId, run.walletId, 0, LOST, HELPERS, votes);
    HELPERS.forEach(h -> out.put(h, nodes.get(h).part1(request)));
    return out;
  }

  private Map<String, RepairPart2Response> part2(Map<String, RepairPart1Response> part1) {
    Map<String, RepairPart2Response> out = new HashMap<>();
    for (String helper : HELPERS) {
      Map<String, String> sealed = new HashMap<>();
      part1.forEach(
          (sender, r) -> {
            if (!sender.equals(helper)) {
              sealed.put(sender, r.sealed().get(helper));
            }
          });
      out.put(
          helper,
          nodes.get(helper).part2(new RepairPart2Request(operationId, run.walletId, 0, sealed)));
    }
    return out;
  }

  private RepairRecoverRequest recoverRequest(Map<String, RepairPart2Response> part2) {
    Map<String, String> sums = new HashMap<>();
    part2.forEach((helper, r) -> sums.put(helper, r.sealedSum()));
    return new RepairRecoverRequest(
        operationId,
        run.walletId,
        0,
        lostShare.participants(),
        lostShare.threshold(),
        part2.get("node-1").publicKeyPackage(),
        Hex.encode(lostShare.groupPublicKey()),
        sums);
  }

  @Test
  void aLostShareIsRebuiltExactlyByThresholdHelpersAndSignsAgain() {
    vote();
    nodes.get(LOST).recover(recoverRequest(part2(part1())));

    KeyPackage repaired = run.stores.get(LOST).find(run.walletId).orElseThrow().keyPackage();
    assertThat(repaired).isEqualTo(lostShare.keyPackage());
    byte[] message = new byte[32];
    byte[] outputKey = run.publicKeys().verifyingKey().encodeXOnly();
    assertThat(
            Bip340.verify(message, outputKey, run.sign(List.of(LOST, "node-2", "node-5"), message)))
        .isTrue();
  }

  @Test
  void whatTheOrchestratorRelaysNeverContainsTheLostShare() {
    vote();
    Map<String, RepairPart1Response> one = part1();
    Map<String, RepairPart2Response> two = part2(one);
    String secret = Hex.encode(lostShare.keyPackage().signingShare().encode());

    StringBuilder relayed = new StringBuilder();
    one.values().forEach(r -> relayed.append(r.sealed()));
    two.values().forEach(r -> relayed.append(r.sealedSum()).append(r.publicKeyPackage()));
    assertThat(relayed.toString()).doesNotContain(secret);
  }

  @Test
  void helpersRefuseWithoutThresholdApprovalsFromTheOtherParticipants() {
    // only two of the others approve; the lost node cannot vote for itself
    VoteRequest request =
        new VoteRequest(operationId, run.walletId, RefreshParticipant.REPAIR, 0, LOST);
    votes.put("node-1", run.nodes.get("node-1").vote(request).vote());
    votes.put("node-2", run.nodes.get("node-2").vote(request).vote());

    assertRefused(
        () ->
            nodes
                .get("node-1")
                .part1(new RepairPart1Request(operationId, run.walletId, 0, LOST, HELPERS, votes)),
        ProtocolErrors.LIFECYCLE_NOT_APPROVED,
        "2 valid approvals");
  }

  @Test
  void aSumSealedByAnotherHelperIsRefusedAndNothingIsStored() {
    vote();
    Map<String, RepairPart2Response> two = part2(part1());
    // node-5's sum replaced by node-4's: its seal names another sender
    Map<String, RepairPart2Response> wrong = new HashMap<>(two);
    wrong.put("node-5", two.get("node-4"));
    RepairRecoverRequest request = recoverRequest(wrong);

    assertRefused(
        () -> nodes.get(LOST).recover(request), ProtocolErrors.LIFECYCLE_CULPRIT, "culprit=node-5");
    assertThat(run.stores.get(LOST).find(run.walletId)).isEmpty();
  }

  @Test
  void publicKeysOtherThanTheHelpersHoldAreRefused() {
    vote();
    Map<String, RepairPart2Response> two = part2(part1());
    RepairRecoverRequest honest = recoverRequest(two);
    // the orchestrator claims other public keys (another wallet's): no helper's seal opens
    RefreshRun other = new RefreshRun();
    RepairRecoverRequest forged =
        new RepairRecoverRequest(
            honest.operationId(),
            honest.walletId(),
            0,
            honest.participants(),
            honest.threshold(),
            Hex.encode(other.publicKeys().encode()),
            honest.groupPublicKey(),
            honest.sums());

    assertRefused(
        () -> nodes.get(LOST).recover(forged), ProtocolErrors.LIFECYCLE_CULPRIT, "sealed repair");
    assertThat(run.stores.get(LOST).find(run.walletId)).isEmpty();
  }

  @Test
  void aNodeThatHoldsItsShareIsNeverOverwrittenAndTheLostNodeCannotHelp() {
    vote();
    RepairRecoverRequest request = recoverRequest(part2(part1()));
    nodes.get(LOST).recover(request);

    assertRefused(
        () -> nodes.get(LOST).recover(request), ProtocolErrors.WALLET_EXISTS, "holds a share");
    assertRefused(
        () ->
            nodes
                .get("node-2")
                .part1(
                    new RepairPart1Request(
                        operationId,
                        run.walletId,
                        0,
                        LOST,
                        List.of("node-2", LOST, "node-4"),
                        votes)),
        ProtocolErrors.MALFORMED_REQUEST,
        "helpers must be");
  }
}
