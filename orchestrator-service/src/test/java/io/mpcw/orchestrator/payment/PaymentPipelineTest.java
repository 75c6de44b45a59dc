package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.signing.SeenCommitments;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestEngines;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Payments from {@code pending} to {@code confirmed}: the orchestrator's real stages over QUIC to
 * five nodes running the real FROST signing participant (approvals checked in etcd, payment and fee
 * checked by each node), on real PostgreSQL, etcd and the chain simulator, which verifies every
 * input's BIP-340 signature under the BIP-341 sighash before it accepts a transaction.
 */
class PaymentPipelineTest extends OrchestratorTestBase {
  private static final long COIN = 1_000_000;

  @Autowired List<StageHandler> handlers;
  @Autowired WorkClaims claims;
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired io.mpcw.orchestrator.transaction.TransactionRepository transactionRepository;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired MeterRegistry meters;
  @Autowired Coins coins;
  @Autowired SeenCommitments seenCommitments;
  @Autowired ChainFollower follower;
  @Autowired Payments payments;
  @Autowired io.mpcw.orchestrator.signing.NodeLatencies latencies;
  @Autowired io.mpcw.orchestrator.pipeline.NewPaymentPlaces newPayments;

  private final List<TestNode> nodes = new ArrayList<>();
  private final List<PipelineEngine> engines = new ArrayList<>();

  private record TestWallet(UUID id, String address, byte[] outputKey, byte[] script) {}

  @AfterEach
  void stopEverything() {
    engines.forEach(newPayments::stopServing);
    engines.forEach(PipelineEngine::close);
    nodes.forEach(TestNode::close);
  }

  /** Starts node-1..5 in the given modes at the registry's addresses. */
  private void cluster(Mode... modes) {
    for (int i = 0; i < modes.length; i++) {
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      nodes.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
    evenRoundTrips(modes.length);
  }

  /**
   * The signer scores remember round trips of earlier tests' node processes (a node that was down
   * counts the time waited for it): every node starts even here, so signers are chosen by the load
   * each test sets, whatever ran before.
   */
  private void evenRoundTrips(int count) {
    for (int i = 1; i <= count; i++) {
      for (int sample = 0; sample < 40; sample++) {
        latencies.observeSigning("node-" + i, 0);
      }
    }
  }

  private void honestCluster() {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
  }

  /** Runs the handlers of {@code stages} in an engine of their own (tests pick the stages). */
  private void engine(TransactionState... stages) {
    engine(Duration.ofMillis(20), stages);
  }

  private void engine(Duration pollInterval, TransactionState... stages) {
    engines.add(
        new TestEngines(handlers, claims, transitions, database, metrics, workSignals)
            .start(
                "payments-it-" + engines.size(),
                pollInterval,
                Map.of(
                    TransactionState.VOTING, Duration.ofSeconds(10),
                    TransactionState.APPROVED, Duration.ofSeconds(30),
                    TransactionState.SIGNING, Duration.ofSeconds(30)),
                stages));
  }

  private void engineUpToSigned() {
    engine(
        TransactionState.PENDING,
        TransactionState.VOTING,
        TransactionState.APPROVED,
        TransactionState.SIGNING);
  }

  /** Every stage up to the broadcast; none follows the broadcast payment to its confirmation. */
  private void engineUpToBroadcast() {
    engine(
        TransactionState.PENDING,
        TransactionState.VOTING,
        TransactionState.APPROVED,
        TransactionState.SIGNING,
        TransactionState.SIGNED);
  }

  /** A new 3-of-5 wallet (its own DKG, so tests never share coins), funded with {@code coins}. */
  private TestWallet wallet(long... coinValues) {
    JsonNode created =
        api.post(
                "/api/v1/wallets",
                SUBMIT_KEY,
                "{\"name\":\"pay-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
            .body();
    assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("ready");
    String address = created.get("address").asText();
    CHAIN.fund(address, coinValues);
    return new TestWallet(
        UUID.fromString(created.get("id").asText()),
        address,
        Hex.decode(created.get("output_key").asText()),
        SegwitAddress.decode(address, Network.REGTEST).scriptPubKey());
  }

  private String pay(TestWallet wallet, long amount) {
    return pay(wallet, amount, "2");
  }

  private String pay(TestWallet wallet, long amount, String feeRate) {
    return submitted(wallet, amount, feeRate).get("id").asText();
  }

  /** The API's answer to a new payment: the payment as stored. */
  private JsonNode submitted(TestWallet wallet, long amount, String feeRate) {
    JsonNode body =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"wallet_id\":\""
                    + wallet.id()
                    + "\",\"recipient\":\""
                    + ADDRESS
                    + "\",\"amount_sats\":"
                    + amount
                    + ",\"fee_rate_sat_vb\":"
                    + feeRate
                    + "}")
            .body();
    assertThat(body.has("id")).as(body.toString()).isTrue();
    return body;
  }

  private JsonNode get(String id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private JsonNode awaitState(String id, String state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> get(id).get("state").asText(),
            s -> s.equals(state) || terminalOtherThan(s, state));
    JsonNode tx = get(id);
    assertThat(tx.get("state").asText()).as(tx.toString()).isEqualTo(state);
    return tx;
  }

  private static boolean terminalOtherThan(String s, String wanted) {
    return !s.equals(wanted)
        && Set.of("failed", "rejected", "aborted_byzantine", "cancelled", "confirmed").contains(s);
  }

  /** Mines a block whenever the payment waits in the mempool, until it is confirmed. */
  private JsonNode mineUntilConfirmed(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String state = get(id).get("state").asText();
              if (state.equals("broadcasting")) {
                CHAIN.mine();
              }
              return state;
            },
            s -> s.equals("confirmed") || terminalOtherThan(s, "confirmed"));
    return awaitState(id, "confirmed");
  }

  /** The raw transaction's only input carries a BIP-340 signature valid under the output key. */
  private static Transaction assertValidKeyPathSpend(JsonNode tx, TestWallet wallet, long coin) {
    Transaction signed = Transaction.parseHex(tx.get("chain").get("raw_tx").asText());
    assertThat(signed.inputs()).hasSize(1);
    assertThat(signed.witness(0).size()).isEqualTo(1);
    byte[] signature = signed.witness(0).item(0);
    assertThat(signature).hasSize(64);
    byte[] sighash =
        new TaprootSighash(signed, List.of(new TxOut(coin, wallet.script())))
            .sigHash(0, SighashType.DEFAULT);
    assertThat(Bip340.verify(sighash, wallet.outputKey(), signature)).isTrue();
    assertThat(signed.txid().toDisplayHex()).isEqualTo(tx.get("chain").get("txid").asText());
    return signed;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aPaymentIsVotedSignedBroadcastAndConfirmedAsAValidTaprootKeyPathSpend() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    // moved by its wake-ups alone: a poll marks every state for the moment the engine takes to
    // claim, and a new payment passes through pending only while voting is not marked (with a
    // poll every 20 ms on a loaded machine the 201 said "pending" now and then)
    engine(
        Duration.ofHours(1),
        TransactionState.PENDING,
        TransactionState.VOTING,
        TransactionState.APPROVED,
        TransactionState.SIGNING);
    // the follower has the coin: the build inside the approving move finds it
    await().atMost(Duration.ofSeconds(30)).until(() -> !coins.free(wallet.id()).isEmpty());
    newPayments.serveFrom(engines.get(engines.size() - 1));

    JsonNode created = submitted(wallet, 42_000, "2");
    // its round opened in the request's own transaction: the 201 says so, as a read would
    assertThat(created.get("state").asText()).as(created.toString()).isEqualTo("voting");
    assertThat(created.get("voting").get("threshold").asInt()).isEqualTo(4);
    assertThat(created.get("voting").get("total_nodes").asInt()).isEqualTo(5);
    assertThat(created.get("history"))
        .extracting(h -> h.get("to").asText() + ": " + h.get("reason").asText())
        .containsExactly("pending: submitted", "voting: " + created.get("state_reason").asText());
    String id = created.get("id").asText();
    JsonNode signedTx = awaitState(id, "signed");
    assertThat(signedTx.get("history").get(1).toString())
        .isEqualTo(created.get("history").get(1).toString());

    assertThat(signedTx.get("voting").get("approvals").asInt()).isGreaterThanOrEqualTo(4);
    // built inside the move that approved it: both moves in the history, at one time
    JsonNode history = signedTx.get("history");
    assertThat(history)
        .extracting(h -> h.get("to").asText())
        .containsExactly("pending", "voting", "approved", "signing", "signed");
    assertThat(history.get(3).get("reason").asText()).startsWith("built ");
    assertThat(history.get(3).get("at").asText()).isEqualTo(history.get(2).get("at").asText());
    JsonNode signing = signedTx.get("signing");
    assertThat(signing.get("attempts").asInt()).isEqualTo(1);
    assertThat(texts(signing.get("signers"))).hasSize(3);
    assertThat(signing.get("attempts_detail").get(0).get("outcome").asText()).isEqualTo("ok");
    // the count on the payment's row is set by the move to signed, after the attempt's insert
    assertThat(payments.find(UUID.fromString(id)).orElseThrow().signingAttempts()).isEqualTo(1);
    Transaction signed = assertValidKeyPathSpend(signedTx, wallet, COIN);
    assertThat(signed.inputs().get(0).signalsRbf()).isTrue();
    assertThat(signed.outputs().get(0).valueSats()).isEqualTo(42_000);
    assertThat(signed.outputs().get(0).scriptPubKey())
        .isEqualTo(SegwitAddress.decode(ADDRESS, Network.REGTEST).scriptPubKey());
    TxOut change = signed.outputs().get(1);
    assertThat(change.scriptPubKey()).isEqualTo(wallet.script());
    long fee = signedTx.get("chain").get("fee_sats").asLong();
    assertThat(42_000 + change.valueSats() + fee).isEqualTo(COIN);
    assertThat(fee)
        .isEqualTo(2L * io.mpcw.crypto.tx.KeyPathSizeEstimator.vsize(1, signed.outputs()));

    // the chain checks every signature: one changed byte anywhere makes the spend invalid
    byte[] raw = signed.serialize();
    byte[] badSignature = raw.clone();
    badSignature[raw.length - 4 - 10] ^= 0x01;
    byte[] badAmount = raw.clone();
    badAmount[indexOf(raw, le(42_000))] ^= 0x01;
    for (byte[] tampered : List.of(badSignature, badAmount)) {
      assertThatThrownBy(() -> CHAIN.client().broadcast(Hex.encode(tampered)))
          .isInstanceOf(ChainRejectedException.class)
          .hasMessageContaining("signature");
    }

    engine(TransactionState.SIGNED, TransactionState.BROADCASTING);
    awaitState(id, "broadcasting");
    // just sent, so in no block: its stage is due only at the recheck (an hour in these tests),
    // unclaimed, until the block that includes it wakes it
    assertThat(
            jdbc.sql(
                    "SELECT lease_owner IS NULL AND next_attempt_at > now() + interval '30 minutes'"
                        + " FROM transactions WHERE id = ?")
                .param(UUID.fromString(id))
                .query(Boolean.class)
                .single())
        .isTrue();
    JsonNode confirmed = mineUntilConfirmed(id);

    JsonNode chain = confirmed.get("chain");
    assertThat(chain.get("confirmations").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(chain.get("block_hash").asText()).hasSize(64);
    assertThat(CHAIN.client().transaction(chain.get("txid").asText()).orElseThrow().confirmations())
        .isGreaterThanOrEqualTo(1);
    assertThat(spentCoins(id)).isEqualTo(1);
  }

  @Test
  void aBlockConfirmsEveryBroadcastPaymentItIncludesWithoutTheConfirmationStage() {
    honestCluster();
    TestWallet wallet = wallet(COIN, COIN, COIN);
    // no engine serves broadcasting: only the follower can confirm them
    engineUpToBroadcast();
    List<String> ids = List.of(pay(wallet, 21_000), pay(wallet, 22_000), pay(wallet, 23_000));
    ids.forEach(id -> awaitState(id, "broadcasting"));
    double confirmedBefore = transitions("broadcasting", "confirmed");

    String block = CHAIN.mine();
    follower.follow();

    for (String id : ids) {
      JsonNode tx = get(id);
      assertThat(tx.get("state").asText()).as(tx.toString()).isEqualTo("confirmed");
      assertThat(tx.get("chain").get("confirmations").asInt()).isEqualTo(1);
      assertThat(tx.get("chain").get("block_hash").asText()).isEqualTo(block);
      JsonNode last = tx.get("history").get(tx.get("history").size() - 1);
      assertThat(last.get("from").asText()).isEqualTo("broadcasting");
      assertThat(last.get("to").asText()).isEqualTo("confirmed");
      assertThat(last.get("reason").asText()).isEqualTo("1 confirmation(s) in block " + block);
      assertThat(
              jdbc.sql(
                      "SELECT actor FROM transaction_history WHERE tx_id = ?"
                          + " AND to_state = 'confirmed'")
                  .param(UUID.fromString(id))
                  .query(String.class)
                  .single())
          .isEqualTo("chain");
      assertThat(tx.get("state_reason").asText()).isEqualTo(last.get("reason").asText());
      assertThat(spentCoins(id)).isEqualTo(1);
    }
    assertThat(transitions("broadcasting", "confirmed") - confirmedBefore).isEqualTo(3.0);
  }

  @Test
  void aBroadcastPaymentAStageHoldsIsLeftToItByTheBlockThatIncludesIt() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineUpToBroadcast();
    String id = pay(wallet, 24_000);
    awaitState(id, "broadcasting");
    // as an engine's claim in broadcasting would hold it
    jdbc.sql(
            "UPDATE transactions SET lease_owner = 'another-engine#1',"
                + " lease_expires_at = now() + interval '1 hour' WHERE id = ?")
        .param(UUID.fromString(id))
        .update();

    CHAIN.mine();
    follower.follow();
    assertThat(get(id).get("state").asText()).isEqualTo("broadcasting");

    // its holder gone (the lease ran out): the next look confirms it
    jdbc.sql("UPDATE transactions SET lease_expires_at = now() - interval '1 second' WHERE id = ?")
        .param(UUID.fromString(id))
        .update();
    follower.follow();
    JsonNode tx = get(id);
    assertThat(tx.get("state").asText()).as(tx.toString()).isEqualTo("confirmed");
    assertThat(tx.get("chain").get("confirmations").asInt()).isEqualTo(1);
  }

  /** How many coins the payment spent, as its confirmation marked them. */
  private long spentCoins(String id) {
    return jdbc.sql("SELECT count(*) FROM utxos WHERE spent_by = ?")
        .param(UUID.fromString(id))
        .query(Long.class)
        .single();
  }

  private double transitions(String from, String to) {
    var counter =
        meters.find("orchestration_state_transitions_total").tags("from", from, "to", to).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aBlockMinedBeforeThePaymentMovesToBroadcastingStillWakesItsConfirmation() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineUpToSigned();
    String id = pay(wallet, 42_000);
    String raw = awaitState(id, "signed").get("chain").get("raw_tx").asText();
    // someone else sends the signed transaction, and a block includes it, while it is signed here
    CHAIN.client().broadcast(raw);
    CHAIN.mine();
    follower.follow();

    engine(TransactionState.SIGNED, TransactionState.BROADCASTING);

    // no block after the move: the one already followed wakes it (its recheck is an hour away)
    JsonNode confirmed = awaitState(id, "confirmed");
    assertThat(confirmed.get("chain").get("confirmations").asInt()).isGreaterThanOrEqualTo(1);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  private static byte[] le(long value) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  @Test
  void everyThreeOfTheFiveNodesSignWhenTheyScoreBest() {
    honestCluster();
    int[][] subsets = new int[10][];
    int k = 0;
    for (int a = 1; a <= 5; a++) {
      for (int b = a + 1; b <= 5; b++) {
        for (int c = b + 1; c <= 5; c++) {
          subsets[k++] = new int[] {a, b, c};
        }
      }
    }
    long[] funding = new long[subsets.length];
    Arrays.fill(funding, COIN);
    TestWallet wallet = wallet(funding);
    engineUpToSigned();

    for (int[] subset : subsets) {
      Set<Integer> chosen = Arrays.stream(subset).boxed().collect(Collectors.toSet());
      for (int i = 1; i <= 5; i++) {
        // score = cpu% × 0.7 + latency_ms × 0.3: an idle node wins over a busy one
        REGISTRY.cpuLoad(i, chosen.contains(i) ? 0.0 : 100.0);
      }
      String id = pay(wallet, 10_000);
      JsonNode tx = awaitState(id, "signed");

      assertThat(texts(tx.get("signing").get("signers")))
          .containsExactlyElementsOf(Arrays.stream(subset).mapToObj(i -> "node-" + i).toList());
      assertValidKeyPathSpend(tx, wallet, COIN);
    }
  }

  @Test
  void twoNodesDownAfterTheVoteTheOtherThreeSign() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engine(TransactionState.PENDING, TransactionState.VOTING);
    String id = pay(wallet, 20_000);
    awaitState(id, "approved");

    // node-1 and node-5 crash; the registry has not noticed and still lists them as active
    nodes.get(0).stop();
    nodes.get(4).stop();
    for (int i = 1; i <= 3; i++) {
      REGISTRY.cpuLoad(i, 0.0);
    }
    REGISTRY.cpuLoad(4, 60.0);
    REGISTRY.cpuLoad(5, 100.0);
    engine(
        TransactionState.APPROVED,
        TransactionState.SIGNING,
        TransactionState.SIGNED,
        TransactionState.BROADCASTING);
    JsonNode tx = mineUntilConfirmed(id);

    JsonNode signing = tx.get("signing");
    assertThat(texts(signing.get("signers"))).containsExactly("node-2", "node-3", "node-4");
    // the crashed nodes never gave commitments, so no session waited for them
    assertThat(signing.get("attempts").asInt()).isEqualTo(1);
    assertThat(signing.get("attempts_detail").get(0).get("outcome").asText()).isEqualTo("ok");
    assertValidKeyPathSpend(tx, wallet, COIN);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"BAD_SHARE", "RESTARTS_BEFORE_SHARE", "DIES_BEFORE_SHARE"})
  void aSignerThatFailsMidSessionIsLeftOutAndAnotherSetSigns(Mode mode) {
    cluster(mode, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    // the faulty node is among the idle ones, so the first attempt includes it
    REGISTRY.cpuLoad(4, 60.0);
    REGISTRY.cpuLoad(5, 100.0);
    for (int i = 1; i <= 3; i++) {
      REGISTRY.cpuLoad(i, 0.0);
    }
    TestWallet wallet = wallet(COIN);
    engineUpToSigned();

    String id = pay(wallet, 30_000);
    JsonNode tx = awaitState(id, "signed");

    JsonNode signing = tx.get("signing");
    assertThat(signing.get("attempts").asInt()).isEqualTo(2);
    JsonNode first = signing.get("attempts_detail").get(0);
    assertThat(texts(first.get("signers"))).contains("node-1");
    String didWhat = first.get("signers_detail").get("node-1").asText();
    switch (mode) {
      case BAD_SHARE -> {
        assertThat(first.get("outcome").asText()).isEqualTo("culprit");
        assertThat(texts(first.get("culprits"))).containsExactly("node-1");
        assertThat(first.get("detail").asText()).contains("node-1: invalid signature share");
        assertThat(didWhat).isEqualTo("invalid share");
        assertThat(texts(signing.get("signers"))).doesNotContain("node-1").hasSize(3);
      }
      case RESTARTS_BEFORE_SHARE -> {
        // not its fault: it may sign again once it gave fresh commitments
        assertThat(first.get("outcome").asText()).isEqualTo("unreachable");
        assertThat(texts(first.get("culprits"))).containsExactly("node-1");
        assertThat(first.get("detail").asText()).contains("UNKNOWN_SESSION");
        assertThat(didWhat).startsWith("refused: UNKNOWN_SESSION");
      }
      default -> {
        // a sibling session started after the grace, not after node-1's deadline (which a slow
        // test machine may reach first all the same)
        assertThat(first.get("outcome").asText()).isIn("superseded", "unreachable");
        assertThat(didWhat).startsWith("no answer");
        assertThat(texts(signing.get("signers"))).doesNotContain("node-1").hasSize(3);
      }
    }
    assertThat(signing.get("attempts_detail").get(1).get("outcome").asText()).isEqualTo("ok");
    assertValidKeyPathSpend(tx, wallet, COIN);
  }

  @Test
  void shareRecordsAByzantineSignerWroteUnderHonestSignersKeysBlameNobodyAndAreReported() {
    cluster(Mode.FORGES_PEER_SHARE_RECORDS, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    REGISTRY.cpuLoad(4, 60.0);
    REGISTRY.cpuLoad(5, 100.0);
    for (int i = 1; i <= 3; i++) {
      REGISTRY.cpuLoad(i, 0.0);
    }
    TestWallet wallet = wallet(COIN);
    double reportedBefore =
        meters.counter("orchestration_signing_foreign_share_records_total").count();
    engineUpToSigned();

    String id = pay(wallet, 30_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get(id).get("signing").get("attempts").asInt() >= 1);
    nodes.get(0).mode(Mode.HONEST);

    JsonNode first = get(id).get("signing").get("attempts_detail").get(0);
    assertThat(texts(first.get("signers"))).containsExactly("node-1", "node-2", "node-3");
    assertThat(texts(first.get("culprits"))).isEmpty();
    assertThat(first.get("outcome").asText()).isEqualTo("invalid");
    assertThat(first.get("detail").asText())
        .contains("share records of node-2, node-3 were not written by them")
        .contains("nobody blamed");
    assertThat(meters.counter("orchestration_signing_foreign_share_records_total").count())
        .isGreaterThanOrEqualTo(reportedBefore + 2);
    // node-2 and node-3 stay eligible: the payment is signed once the forger stops
    JsonNode tx = awaitState(id, "signed");
    assertValidKeyPathSpend(tx, wallet, COIN);
  }

  @Test
  void nodesRefuseAFeeAboveTheirLimitSoThePaymentFailsAndItsCoinIsFreeAgain() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineUpToSigned();

    // 1 000 sat/vB × 154 vB is above the nodes' 100 000-sat fee limit
    String id = pay(wallet, 10_000, "1000");
    JsonNode tx = awaitState(id, "failed");

    assertThat(tx.get("state_reason").asText())
        .contains("signers refused")
        .contains("FEE_TOO_HIGH");
    JsonNode first = tx.get("signing").get("attempts_detail").get(0);
    assertThat(first.get("outcome").asText()).isEqualTo("refused");
    assertThat(coins.free(wallet.id())).hasSize(1);
    assertThat(tx.get("chain").get("raw_tx").isNull()).as("never signed").isTrue();

    String next = pay(wallet, 10_000);
    assertValidKeyPathSpend(awaitState(next, "signed"), wallet, COIN);
  }

  @Test
  void tooLittleMoneyFailsThePaymentSayingWhatIsAvailable() {
    honestCluster();
    TestWallet wallet = wallet(50_000);
    engineUpToSigned();

    String id = pay(wallet, 60_000);
    JsonNode tx = awaitState(id, "failed");

    assertThat(tx.get("state_reason").asText())
        .isEqualTo(
            "insufficient funds: 50000 sats available in confirmed, unreserved coins;"
                + " 60000 sats plus the fee needed");
    assertThat(tx.get("signing").get("attempts").asInt()).isZero();
    // nothing to take inside the move that approved it: the approval committed on its own
    assertThat(tx.get("history"))
        .extracting(h -> h.get("from").asText() + "→" + h.get("to").asText())
        .endsWith("voting→approved", "approved→failed");
  }

  @Test
  void twoPaymentsRacingForTheOnlyCoinNeverBothSignIt() {
    honestCluster();
    TestWallet wallet = wallet(100_000);
    engine(TransactionState.PENDING, TransactionState.VOTING);
    String first = pay(wallet, 60_000);
    String second = pay(wallet, 60_000);
    awaitState(first, "approved");
    awaitState(second, "approved");

    // both are built in the same batch of one engine and by a second engine at once
    engine(TransactionState.APPROVED, TransactionState.SIGNING);
    engine(TransactionState.APPROVED, TransactionState.SIGNING);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Set.of("signed", "failed").contains(get(first).get("state").asText())
                    && Set.of("signed", "failed").contains(get(second).get("state").asText()));

    List<JsonNode> both = List.of(get(first), get(second));
    assertThat(both.stream().map(t -> t.get("state").asText()))
        .containsExactlyInAnyOrder("signed", "failed");
    JsonNode loser =
        both.stream()
            .filter(t -> t.get("state").asText().equals("failed"))
            .findFirst()
            .orElseThrow();
    assertThat(loser.get("state_reason").asText()).startsWith("insufficient funds: 0 sats");
    assertThat(
            jdbc.sql("SELECT count(*) FROM utxos WHERE wallet_id = ? AND reserved_by IS NOT NULL")
                .param(wallet.id())
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void concurrentBuildsOnOneWalletNeverShareACoinAndNoneFailsWhileCoinsLast() {
    honestCluster();
    long[] values = new long[12];
    Arrays.fill(values, 50_000);
    TestWallet wallet = wallet(values);
    List<UUID> payments = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      payments.add(UUID.fromString(pay(wallet, 20_000)));
    }
    // voted on already: only the build is under test
    jdbc.sql("UPDATE transactions SET state = 'approved' WHERE wallet_id = ?")
        .param(wallet.id())
        .update();

    // two replicas, each building up to 8 at once
    engine(TransactionState.APPROVED);
    engine(TransactionState.APPROVED);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                payments.stream()
                    .allMatch(id -> get(id.toString()).get("state").asText().equals("signing")));

    assertThat(
            jdbc.sql(
                    "SELECT count(DISTINCT reserved_by) FROM utxos WHERE wallet_id = ?"
                        + " AND reserved_by IS NOT NULL")
                .param(wallet.id())
                .query(Long.class)
                .single())
        .as("every payment holds its own coin")
        .isEqualTo(12);
    assertThat(
            jdbc.sql("SELECT count(*) FROM utxos WHERE wallet_id = ? AND reserved_by IS NOT NULL")
                .param(wallet.id())
                .query(Long.class)
                .single())
        .isEqualTo(12);
    for (UUID id : payments) {
      assertThat(get(id.toString()).get("chain").get("fee_sats").asLong()).isPositive();
    }
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM transaction_history h JOIN transactions t ON t.id ="
                        + " h.tx_id WHERE t.wallet_id = ? AND h.to_state = 'failed'")
                .param(wallet.id())
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void coinsComeFromTheFollowedChainWithoutAScanAndConfirmedChangeIsSpentNext() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engine(
        TransactionState.PENDING,
        TransactionState.VOTING,
        TransactionState.APPROVED,
        TransactionState.SIGNING,
        TransactionState.SIGNED,
        TransactionState.BROADCASTING);
    double scansBefore = scans();

    String first = pay(wallet, 400_000);
    mineUntilConfirmed(first);
    String changeTxid = get(first).get("chain").get("txid").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbc.sql(
                            "SELECT count(*) FROM utxos WHERE txid = ? AND vout = 1"
                                + " AND created_by = ?::uuid AND height IS NOT NULL")
                        .params(changeTxid, first)
                        .query(Long.class)
                        .single()
                    == 1);
    // only the change can pay this one
    String second = pay(wallet, 500_000);
    JsonNode paid = mineUntilConfirmed(second);

    Transaction spend = Transaction.parseHex(paid.get("chain").get("raw_tx").asText());
    assertThat(spend.inputs()).hasSize(1);
    assertThat(spend.inputs().get(0).outPoint().txid().toDisplayHex()).isEqualTo(changeTxid);
    assertThat(scans()).as("no scantxoutset while paying").isEqualTo(scansBefore);
  }

  @Test
  void aPaymentLikeOneThatFailedBeforeBroadcastBuildsTheSameTransactionAgainAndIsSigned() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engine(TransactionState.PENDING, TransactionState.VOTING, TransactionState.APPROVED);
    String first = pay(wallet, 10_000);
    awaitState(first, "signing");
    // the payment fails before its transaction reaches the chain (as at a stage timeout): its
    // coin is free again, and its record keeps the txid it built
    database.executeWithoutResult(
        status ->
            assertThat(
                    transitions.apply(
                        transactionRepository.find(UUID.fromString(first)).orElseThrow(),
                        TransactionState.FAILED,
                        "signing timed out",
                        "test",
                        Optional.empty()))
                .isTrue());
    assertThat(coins.free(wallet.id())).hasSize(1);

    engineUpToSigned();
    String second = pay(wallet, 10_000);
    JsonNode signed = awaitState(second, "signed");

    assertThat(signed.get("chain").get("txid").asText())
        .as("the same coin, recipient, amount and fee make the same transaction")
        .isEqualTo(get(first).get("chain").get("txid").asText());
    assertValidKeyPathSpend(signed, wallet, COIN);
  }

  @Test
  void aPaymentThatFailsBeforeBroadcastLeavesNoChangeCoinBehind() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineUpToSigned();

    // nodes refuse the fee: the payment fails in signing, after its change was recorded
    String id = pay(wallet, 10_000, "1000");
    awaitState(id, "failed");

    assertThat(
            jdbc.sql("SELECT count(*) FROM utxos WHERE created_by = ?::uuid")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(coins.free(wallet.id())).hasSize(1);
  }

  private double scans() {
    return meters
        .find("orchestration_chain_requests_total")
        .tag("method", "scantxoutset")
        .counters()
        .stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  @Test
  void reservingACoinAnotherPaymentHoldsRollsBackTheWholeReservation() throws Exception {
    honestCluster();
    TestWallet wallet = wallet(70_000, 80_000);
    coins.refresh(wallet.id(), CHAIN.client().unspent(wallet.address()));
    List<Coin> free = coins.free(wallet.id());
    UUID a = insertPayment(wallet);
    UUID b = insertPayment(wallet);

    CountDownLatch start = new CountDownLatch(1);
    ExecutorService racers = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (UUID payment : List.of(a, b)) {
        results.add(
            racers.submit(
                () -> {
                  start.await();
                  try {
                    database.executeWithoutResult(s -> coins.reserve(payment, free));
                    return true;
                  } catch (Coins.CoinTakenException e) {
                    return false;
                  }
                }));
      }
      start.countDown();
      List<Boolean> won = new ArrayList<>();
      for (Future<Boolean> r : results) {
        won.add(r.get());
      }
      assertThat(won).containsExactlyInAnyOrder(true, false);
    } finally {
      racers.shutdownNow();
    }
    assertThat(
            jdbc.sql("SELECT DISTINCT reserved_by FROM utxos WHERE wallet_id = ?")
                .param(wallet.id())
                .query(UUID.class)
                .list())
        .hasSize(1);
  }

  private UUID insertPayment(TestWallet wallet) {
    return UUID.fromString(pay(wallet, 1_000));
  }

  @Test
  void aTransactionDroppedFromTheMempoolIsSentAgainAndConfirms() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    engineUpToBroadcast();
    String id = pay(wallet, 25_000);
    String txid = awaitState(id, "broadcasting").get("chain").get("txid").asText();
    assertThat(CHAIN.client().transaction(txid)).isPresent();

    CHAIN.dropMempool();
    assertThat(CHAIN.client().transaction(txid)).isEmpty();
    double resentBefore = meters.counter("orchestration_rebroadcasts_total").count();
    // no block will wake it: its recheck comes (made due now instead of in the tests' hour)
    jdbc.sql("UPDATE transactions SET next_attempt_at = now() WHERE id = ?")
        .param(UUID.fromString(id))
        .update();

    engine(TransactionState.BROADCASTING);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> CHAIN.client().transaction(txid).isPresent());
    JsonNode tx = mineUntilConfirmed(id);

    assertThat(tx.get("chain").get("txid").asText()).isEqualTo(txid);
    assertThat(meters.counter("orchestration_rebroadcasts_total").count())
        .isGreaterThan(resentBefore);
    assertThat(CHAIN.client().unspent(wallet.address())).hasSize(1); // only the change
  }

  @Test
  void sightingsRecordedTogetherAreEachFirstOnceAndARepeatInTheListIsNot() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    byte[] a = Hex.decode("02" + "33".repeat(32) + "03" + "44".repeat(32));
    byte[] b = Hex.decode("02" + "55".repeat(32) + "03" + "66".repeat(32));
    byte[] before = Hex.decode("02" + "77".repeat(32) + "03" + "88".repeat(32));
    seenCommitments.firstSight(wallet.id(), before, "node-3", UUID.randomUUID());

    List<Boolean> first =
        seenCommitments.firstSights(
            List.of(
                new SeenCommitments.Sighting(wallet.id(), a, "node-1", UUID.randomUUID()),
                new SeenCommitments.Sighting(wallet.id(), b, "node-1", UUID.randomUUID()),
                new SeenCommitments.Sighting(wallet.id(), a, "node-2", UUID.randomUUID()),
                new SeenCommitments.Sighting(wallet.id(), before, "node-1", UUID.randomUUID())));

    assertThat(first).containsExactly(true, true, false, false);
    assertThat(seenCommitments.firstSight(wallet.id(), b, "node-4", UUID.randomUUID())).isFalse();
  }

  @Test
  void theCoordinatorRefusesACommitmentItHasSeenBeforeForTheWallet() {
    honestCluster();
    TestWallet wallet = wallet(COIN);
    byte[] commitment = Hex.decode("02" + "11".repeat(32) + "03" + "22".repeat(32));

    assertThat(seenCommitments.firstSight(wallet.id(), commitment, "node-1", UUID.randomUUID()))
        .isTrue();
    assertThat(seenCommitments.firstSight(wallet.id(), commitment, "node-1", UUID.randomUUID()))
        .isFalse();
    assertThat(seenCommitments.firstSight(wallet.id(), commitment, "node-2", UUID.randomUUID()))
        .isFalse();
  }
}
