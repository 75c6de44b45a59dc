package io.mpcw.protocol.dkg;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.dkg.Dkg;
import io.mpcw.crypto.dkg.Round1Package;
import io.mpcw.crypto.dkg.Round2Package;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.TestPki;
import io.mpcw.protocol.share.MemoryShareStore;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DkgParticipantTest {
  private static final List<String> FIVE =
      List.of("node-1", "node-2", "node-3", "node-4", "node-5");
  private static TestPki pki;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(6);
  }

  @Test
  void fiveParticipantsAgreeOnOneTaprootKey() {
    DkgRun run = new DkgRun(pki, FIVE, 3);
    Map<String, DkgPart3Response> results = run.runAll();

    assertThat(results.values().stream().map(DkgPart3Response::publicKeyPackage).distinct())
        .hasSize(1);
    assertThat(results.values().stream().map(DkgPart3Response::groupPublicKey).distinct())
        .hasSize(1);
    DkgPart3Response any = results.get("node-1");
    Point p = Point.decodeCompressed(Hex.decode(any.groupPublicKey()));
    byte[] q = TapTweak.outputKey(p, new byte[0]).xOnly();
    assertThat(any.outputKey()).isEqualTo(Hex.encode(q));
    PublicKeyPackage keys = PublicKeyPackage.decode(Hex.decode(any.publicKeyPackage()));
    assertThat(keys.verifyingKey().encodeXOnly()).isEqualTo(q);
    assertThat(keys.minSigners()).isEqualTo(3);
    for (int i = 0; i < FIVE.size(); i++) {
      WalletShare share = run.stores.get(FIVE.get(i)).find(run.walletId).orElseThrow();
      assertThat(share.identifier()).isEqualTo(i + 1);
      assertThat(share.keyPackage().identifier()).isEqualTo(Identifier.of(i + 1));
      assertThat(share.publicKeyPackage()).isEqualTo(keys);
      assertThat(share.groupPublicKey()).isEqualTo(p.encodeCompressed());
      assertThat(share.toString()).doesNotContain(share.keyPackage().signingShare().toString());
    }
  }

  @Test
  void theGroupKeyIsTheSumOfEveryConstantCommitmentAndNoDealerKnowsIt() {
    DkgRun run = new DkgRun(pki, FIVE, 3);
    Map<String, DkgPart3Response> results = run.runAll();
    Point sum = null;
    for (String hex : run.round1.values()) {
      Point c0 = Round1Package.decode(Hex.decode(hex)).commitment().get(0);
      sum = sum == null ? c0 : sum.add(c0);
    }
    assertThat(results.get("node-4").groupPublicKey())
        .isEqualTo(Hex.encode(sum.encodeCompressed()));
  }

  @Test
  void aShareNotMatchingItsSendersCommitmentNamesTheSender() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1().part2();
    byte[] wrong = new Round2Package(Scalar.random(new SecureRandom())).encode();
    Map<String, String> shares = new HashMap<>(run.sharesFor("node-1"));
    shares.put(
        "node-3",
        SealedShare.seal(
            pki.identity("node-3"),
            pki.identity("node-1").certificate(),
            run.walletId,
            Hex.decode(run.part2.get("node-1").echo()),
            "node-3",
            "node-1",
            wrong,
            new SecureRandom()));

    assertRefused(
        () ->
            run.nodes.get("node-1").part3(new DkgPart3Request(run.walletId, run.echoes(), shares)),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-3: ");
    assertThat(run.stores.get("node-1").find(run.walletId)).isEmpty();
  }

  @Test
  void aSealedShareFromAnEarlierAttemptOfTheSameWalletIsRefusedAtTheSeal() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1().part2();
    String stale = run.sharesFor("node-1").get("node-3");
    // the coordinator restarts the DKG (fresh polynomials), then replays attempt 1's box
    run.part1().part2();
    Map<String, String> shares = new HashMap<>(run.sharesFor("node-1"));
    shares.put("node-3", stale);

    assertRefused(
        () ->
            run.nodes.get("node-1").part3(new DkgPart3Request(run.walletId, run.echoes(), shares)),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-3: sealed share");
    assertThat(run.stores.get("node-1").find(run.walletId)).isEmpty();
  }

  @Test
  void aDkgNamingAServiceIdentityAsParticipantIsRefusedAtPart1() {
    DkgRun run = new DkgRun(pki, FIVE, 3);
    DkgPart1Request withOrchestrator =
        new DkgPart1Request(run.walletId, List.of("node-1", "node-2", "orchestrator"), 2);

    assertRefused(
        () -> run.nodes.get("node-1").part1(withOrchestrator),
        ProtocolErrors.MALFORMED_REQUEST,
        "orchestrator");
  }

  @Test
  void aSealedShareSignedByAnotherNodeIsRefused() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1().part2();
    Map<String, String> shares = new HashMap<>(run.sharesFor("node-1"));
    // node-4 forges a share in node-3's name
    shares.put(
        "node-3",
        SealedShare.seal(
            pki.identity("node-4"),
            pki.identity("node-1").certificate(),
            run.walletId,
            Hex.decode(run.part2.get("node-1").echo()),
            "node-3",
            "node-1",
            new Round2Package(Scalar.of(7)).encode(),
            new SecureRandom()));

    assertRefused(
        () ->
            run.nodes.get("node-1").part3(new DkgPart3Request(run.walletId, run.echoes(), shares)),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-3: sealed share is not signed by node-3");
  }

  @Test
  void aCoordinatorShowingOneNodeADifferentRoundOneSetIsCaughtByTheEchoes() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1();
    Map<String, String> altered = new HashMap<>(run.round1);
    // a valid package for identifier 2, but not the one node-2 broadcast
    Dkg dkg = new Dkg(Frost.taproot().ciphersuite());
    altered.put(
        "node-2",
        Hex.encode(dkg.part1(Identifier.of(2), 5, 3, new SecureRandom()).package1().encode()));
    for (String node : FIVE) {
      Map<String, String> relayed = node.equals("node-5") ? altered : run.round1;
      run.part2.put(node, run.nodes.get(node).part2(new DkgPart2Request(run.walletId, relayed)));
    }

    assertRefused(
        () -> run.nodes.get("node-1").part3(run.part3Request("node-1")),
        ProtocolErrors.DKG_ECHO_MISMATCH,
        "culprit=node-5: ");
    assertThatThrownBy(() -> run.nodes.get("node-5").part3(run.part3Request("node-5")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("culprit=node-1")
        .hasMessageContaining("culprit=node-4");
  }

  @Test
  void anEchoWithABadSignatureNamesItsNode() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1().part2();
    Map<String, SignedEcho> echoes = new HashMap<>(run.echoes());
    SignedEcho fromNode2 = echoes.get("node-2");
    echoes.put("node-2", new SignedEcho(fromNode2.echo(), echoes.get("node-3").signature()));

    assertRefused(
        () ->
            run.nodes
                .get("node-1")
                .part3(new DkgPart3Request(run.walletId, echoes, run.sharesFor("node-1"))),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-2: echo signature");
  }

  @Test
  void aBadProofOfKnowledgeInRoundOneNamesItsSender() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1();
    Map<String, String> relayed = new HashMap<>(run.round1);
    // node-4's commitment under node-2's name: its proof is bound to identifier 4
    relayed.put("node-2", run.round1.get("node-4"));

    assertRefused(
        () -> run.nodes.get("node-1").part2(new DkgPart2Request(run.walletId, relayed)),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-2: ");
  }

  @Test
  void aNodeNotAmongTheParticipantsRefuses() {
    DkgRun run = new DkgRun(pki, FIVE, 3);
    assertRefused(
        () -> run.nodes.get("node-6").part1(run.part1Request()),
        ProtocolErrors.NOT_A_PARTICIPANT,
        "node-6");
  }

  @Test
  void aSecondDkgForAWalletTheNodeHoldsIsRefused() {
    DkgRun run = new DkgRun(pki, FIVE, 3);
    run.runAll();
    assertRefused(
        () -> run.nodes.get("node-2").part1(run.part1Request()),
        ProtocolErrors.WALLET_EXISTS,
        run.walletId.toString());
  }

  @Test
  void partTwoAfterARestartFindsNoSession() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1();
    DkgParticipant restarted = participant("node-1", new MemoryShareStore());
    assertRefused(
        () -> restarted.part2(new DkgPart2Request(run.walletId, run.round1)),
        ProtocolErrors.UNKNOWN_DKG_SESSION,
        run.walletId.toString());
  }

  @Test
  void partThreeRunsOnceAndErasesTheSession() {
    DkgRun run = new DkgRun(pki, FIVE, 3);
    run.runAll();
    assertRefused(
        () -> run.nodes.get("node-1").part3(run.part3Request("node-1")),
        ProtocolErrors.UNKNOWN_DKG_SESSION,
        "");
  }

  @Test
  void anOwnPackageRelayedChangedIsRefused() {
    DkgRun run = new DkgRun(pki, FIVE, 3).part1();
    Map<String, String> relayed = new HashMap<>(run.round1);
    relayed.put("node-1", run.round1.get("node-2"));
    assertRefused(
        () -> run.nodes.get("node-1").part2(new DkgPart2Request(run.walletId, relayed)),
        ProtocolErrors.MALFORMED_REQUEST,
        "not relayed unchanged");
  }

  @Test
  void anExpiredSessionIsGone() {
    MutableClock clock = new MutableClock();
    DkgParticipant node =
        new DkgParticipant(
            "node-1",
            pki.identity("node-1"),
            pki::certificate,
            new MemoryShareStore(),
            new SecureRandom(),
            clock,
            Duration.ofMinutes(1));
    DkgRun run = new DkgRun(pki, FIVE, 3).part1();
    run.round1.put("node-1", node.part1(run.part1Request()).round1Package());
    clock.advance(Duration.ofMinutes(2));
    assertRefused(
        () -> node.part2(new DkgPart2Request(run.walletId, run.round1)),
        ProtocolErrors.UNKNOWN_DKG_SESSION,
        "");
  }

  private static DkgParticipant participant(String node, MemoryShareStore store) {
    return new DkgParticipant(
        node,
        pki.identity(node),
        pki::certificate,
        store,
        new SecureRandom(),
        Clock.systemUTC(),
        Duration.ofMinutes(5));
  }
}
