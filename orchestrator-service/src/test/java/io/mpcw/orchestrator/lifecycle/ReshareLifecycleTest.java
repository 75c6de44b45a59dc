package io.mpcw.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.support.Api;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestEngines;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignCommitResponse;
import io.mpcw.transport.Endpoint;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reshares end to end: the orchestrator's operation runner over QUIC to up to seven nodes running
 * the real reshare participant over their share stores, on real PostgreSQL and etcd, with payments
 * signed by the real signing stage and checked by the chain simulator after.
 */
class ReshareLifecycleTest extends OrchestratorTestBase {
  private static final long COIN = 1_000_000;
  private static final List<String> SEVEN =
      List.of("node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "node-7");
  private static final List<String> TWO_REPLACED =
      List.of("node-1", "node-3", "node-4", "node-5", "node-6");

  @Autowired List<StageHandler> handlers;
  @Autowired WorkClaims claims;
  @Autowired WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired KeyOperationRunner runner;
  @Autowired KeyOperations operations;
  @Autowired RefreshCoordinator votes;
  @Autowired ReshareCoordinator coordinator;
  @Autowired Wallets wallets;
  @Autowired NodeDirectory directory;
  @Autowired NodeCalls calls;
  @Autowired LifecycleProperties properties;

  private final List<TestNode> nodes = new ArrayList<>();
  private final List<PipelineEngine> engines = new ArrayList<>();

  /**
   * An operation another test left running would be claimed by this test's runner steps (each
   * test's nodes are gone by then).
   */
  @BeforeEach
  void noOperationLeftRunning() {
    jdbc.sql(
            "UPDATE key_operations SET state = 'aborted', reason = 'test: left by another test'"
                + " WHERE state IN ('voting', 'dealing', 'committing')")
        .update();
  }

  @AfterEach
  void stopEverything() {
    engines.forEach(PipelineEngine::close);
    nodes.forEach(TestNode::close);
  }

  /** Every payment stage, in one engine. */
  private void payments() {
    engines.add(
        new TestEngines(handlers, claims, transitions, database, metrics, workSignals)
            .start(
                "reshare-it-" + engines.size(),
                Map.of(TransactionState.SIGNING, Duration.ofSeconds(60)),
                TransactionState.values()));
  }

  /** node-1 … node-{count} running; the registry lists the first five until {@link #grow}. */
  private void cluster(Mode... modes) {
    for (int i = 0; i < modes.length; i++) {
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      nodes.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
  }

  private void honest(int count) {
    Mode[] modes = new Mode[count];
    java.util.Arrays.fill(modes, Mode.HONEST);
    cluster(modes);
  }

  /** The registry lists (and reports active) node-1 … node-{count}. */
  private static void grow(int count) {
    REGISTRY.registeredNodes(count);
    REGISTRY.activeNodes(count);
  }

  private UUID wallet(long... coins) {
    JsonNode created =
        api.post(
                "/api/v1/wallets",
                SUBMIT_KEY,
                "{\"name\":\"reshare-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
            .body();
    assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("ready");
    assertThat(created.get("participants")).hasSize(5);
    CHAIN.fund(created.get("address").asText(), coins);
    return UUID.fromString(created.get("id").asText());
  }

  private JsonNode wallet(UUID id) {
    return api.get("/api/v1/wallets/" + id, READ_KEY).body();
  }

  private String pay(UUID wallet, long amount) {
    JsonNode body =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"wallet_id\":\""
                    + wallet
                    + "\",\"recipient\":\""
                    + ADDRESS
                    + "\",\"amount_sats\":"
                    + amount
                    + ",\"fee_rate_sat_vb\":2}")
            .body();
    assertThat(body.has("id")).as(body.toString()).isTrue();
    return body.get("id").asText();
  }

  /** Mines whenever the payment waits in the mempool, until it is confirmed (or ends otherwise). */
  private JsonNode confirmed(String id) {
    Set<String> ends = Set.of("confirmed", "failed", "rejected", "aborted_byzantine", "cancelled");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String state = tx(id).get("state").asText();
              if (state.equals("broadcasting")) {
                CHAIN.mine();
              }
              return state;
            },
            ends::contains);
    JsonNode tx = tx(id);
    assertThat(tx.get("state").asText()).as(tx.toString()).isEqualTo("confirmed");
    return tx;
  }

  private JsonNode tx(String id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private Api.Response reshare(UUID wallet, String body) {
    return api.post("/api/v1/wallets/" + wallet + "/reshare", SUBMIT_KEY, body);
  }

  private static String body(int threshold, List<String> participants) {
    return "{\"threshold\":"
        + threshold
        + ",\"participants\":[\""
        + String.join("\",\"", participants)
        + "\"]}";
  }

  private JsonNode started(UUID wallet, int threshold, List<String> participants) {
    var response = reshare(wallet, body(threshold, participants));
    assertThat(response.status()).as(response.body().toString()).isEqualTo(202);
    return response.body();
  }

  private JsonNode operation(UUID wallet, String id) {
    return api.get("/api/v1/wallets/" + wallet + "/operations/" + id, READ_KEY).body();
  }

  /** Runs the operation runner (as a replica would, poll after poll) until the operation ends. */
  private JsonNode runUntilEnded(UUID wallet, String id) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              runner.runDue();
              return operation(wallet, id).get("state").asText();
            },
            s -> Set.of("committed", "rejected", "aborted").contains(s));
    return operation(wallet, id);
  }

  private static WalletShare share(String node, UUID wallet) {
    return TestNode.shareStore(node).find(wallet).orElseThrow();
  }

  /** The node ids of a wallet view's participants, in identifier order. */
  private static List<String> participants(JsonNode wallet) {
    List<String> out = new ArrayList<>();
    wallet.get("participants").forEach(p -> out.add(p.get("node_id").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aThreeOfFiveWalletResharedToFourOfSevenKeepsItsAddressAndFourOfTheSevenSignAPayment() {
    honest(7);
    UUID wallet = wallet(COIN, COIN);
    JsonNode before = wallet(wallet);
    grow(7);

    JsonNode op = started(wallet, 4, SEVEN);
    assertThat(op.get("kind").asText()).isEqualTo("reshare");
    assertThat(op.get("threshold").asInt()).isEqualTo(4);
    assertThat(texts(op.get("participants"))).isEqualTo(SEVEN);
    JsonNode done = runUntilEnded(wallet, op.get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(done.get("votes")).hasSize(5);
    List<String> path = new ArrayList<>();
    done.get("history").forEach(h -> path.add(h.get("to").asText()));
    assertThat(path).containsExactly("voting", "dealing", "committing", "committed");
    JsonNode after = wallet(wallet);
    assertThat(after.get("key_epoch").asLong()).isEqualTo(1);
    assertThat(after.get("threshold").asInt()).isEqualTo(4);
    assertThat(participants(after)).isEqualTo(SEVEN);
    assertThat(after.get("address").asText()).isEqualTo(before.get("address").asText());
    assertThat(after.get("output_key").asText()).isEqualTo(before.get("output_key").asText());
    assertThat(after.get("last_operations").get(0).get("kind").asText()).isEqualTo("reshare");
    for (String node : SEVEN) {
      WalletShare share = share(node, wallet);
      assertThat(share.epoch()).as(node).isEqualTo(1);
      assertThat(share.threshold()).as(node).isEqualTo(4);
      assertThat(share.participants()).as(node).isEqualTo(SEVEN);
    }

    payments();
    JsonNode paid = confirmed(pay(wallet, 40_000));
    List<String> signers = texts(paid.get("signing").get("signers"));
    assertThat(signers).hasSize(4);
    assertThat(SEVEN).containsAll(signers);
  }

  @Test
  void nodeTwoReplacedByNodeSixErasesNodeTwosShareAndPaymentsConfirmWithoutIt() {
    honest(6);
    UUID wallet = wallet(COIN, COIN);
    grow(6);

    JsonNode done = runUntilEnded(wallet, started(wallet, 3, TWO_REPLACED).get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(done.get("history").get(3).get("reason").asText())
        .contains("[node-2] erased their shares");
    JsonNode after = wallet(wallet);
    assertThat(participants(after)).isEqualTo(TWO_REPLACED);
    assertThat(after.get("threshold").asInt()).isEqualTo(3);
    assertThat(TestNode.shareStore("node-2").find(wallet)).isEmpty();
    assertThat(TestNode.shareStore("node-2").staged(wallet, 1)).isEmpty();
    assertThat(share("node-6", wallet).identifier()).isEqualTo(5);

    payments();
    for (long amount : new long[] {40_000, 41_000}) {
      List<String> signers = texts(confirmed(pay(wallet, amount)).get("signing").get("signers"));
      assertThat(signers).hasSize(3).doesNotContain("node-2");
    }
  }

  @Test
  void aSigningRequestInTheOldEpochIsRefusedOnceTheReshareCommitted() {
    honest(6);
    UUID wallet = wallet(COIN);
    grow(6);
    runUntilEnded(wallet, started(wallet, 3, TWO_REPLACED).get("id").asText());

    Map<String, NodeDirectory.KnownNode> known = directory.nodes();
    Map<String, Endpoint> asked =
        Map.of(
            "node-1", known.get("node-1").endpoint().orElseThrow(),
            "node-2", known.get("node-2").endpoint().orElseThrow(),
            "node-6", known.get("node-6").endpoint().orElseThrow());
    NodeCalls.Round<SignCommitResponse> oldEpoch =
        calls.ask(
            asked,
            SignCommitRequest.TYPE,
            n -> new SignCommitRequest(UUID.randomUUID(), UUID.randomUUID(), wallet, 1, 0),
            SignCommitResponse.class,
            Duration.ofSeconds(2));

    assertThat(oldEpoch.replies()).isEmpty();
    assertThat(oldEpoch.failures().get("node-1")).startsWith(ProtocolErrors.WRONG_EPOCH);
    assertThat(oldEpoch.failures().get("node-6")).startsWith(ProtocolErrors.WRONG_EPOCH);
    // node-2 left: it holds no share of the wallet in any epoch
    assertThat(oldEpoch.failures().get("node-2")).startsWith(ProtocolErrors.NOT_A_PARTICIPANT);
  }

  @Test
  void eachInvalidReshareIsRefusedWithAProblemNamingTheField() {
    honest(5);
    UUID wallet = wallet(COIN);
    grow(6);
    REGISTRY.activeNodes(5); // node-6 is registered but dead

    Map<String, String> fieldOf =
        new java.util.LinkedHashMap<>(
            Map.of(
                "{\"participants\":[\"node-1\",\"node-2\"]}",
                "threshold",
                body(1, List.of("node-1", "node-2", "node-3")),
                "threshold",
                body(4, List.of("node-1", "node-2", "node-3")),
                "threshold",
                "{\"threshold\":2}",
                "participants",
                "{\"threshold\":2,\"participants\":[]}",
                "participants",
                body(2, List.of("node-1", "node-2", "node-1")),
                "participants",
                body(2, List.of("node-1", "node-9")),
                "participants",
                body(2, List.of("node-1", "node-6")),
                "participants"));
    fieldOf.forEach(
        (request, field) -> {
          var response = reshare(wallet, request);
          assertThat(response.status()).as(request).isEqualTo(400);
          assertThat(response.body().get("type").asText()).as(request).endsWith("validation");
          assertThat(response.body().get("detail").asText()).as(request).startsWith(field + ":");
        });
    assertThat(reshare(wallet, body(2, List.of("node-1", "node-9"))).body().toString())
        .contains("node-9");
    assertThat(reshare(wallet, body(2, List.of("node-1", "node-6"))).body().toString())
        .contains("not healthy");
    assertThat(operations.recent(wallet, 5)).isEmpty();

    started(wallet, 3, List.of("node-1", "node-2", "node-3", "node-4", "node-5"));
    var again = reshare(wallet, body(3, List.of("node-1", "node-2", "node-3")));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("type").asText()).endsWith("conflict");
    assertThat(
            api.post(
                    "/api/v1/wallets/" + wallet + "/reshare",
                    READ_KEY,
                    body(3, List.of("node-1", "node-2", "node-3")))
                .status())
        .isEqualTo(403);
  }

  @Test
  void aWalletWithoutKeysCannotBeReshared() {
    honest(5);
    UUID failed = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO wallets (id, name, threshold, participants, network, status,"
                + " status_reason) VALUES (?, ?, 3, ?, 'regtest', 'failed', 'test: no key')")
        .params(
            failed,
            "keyless-" + failed.toString().substring(0, 8),
            new String[] {"node-1", "node-2", "node-3", "node-4", "node-5"})
        .update();

    var response = reshare(failed, body(2, List.of("node-1", "node-2", "node-3")));

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.body().get("type").asText()).endsWith("invalid-state");
    assertThat(operations.recent(failed, 5)).isEmpty();
  }

  @Test
  void anOrchestratorThatDiesAfterTheEpochSwitchIsFollowedByOneThatCommitsAndTheLeaverErases() {
    honest(6);
    UUID wallet = wallet(COIN);
    grow(6);
    UUID id = UUID.fromString(started(wallet, 3, TWO_REPLACED).get("id").asText());
    UUID dead = UUID.randomUUID();

    // the first runner votes and deals, records committing, and dies before any commit is sent
    votes.step(operations.claimDue(dead, Duration.ofSeconds(10)).orElseThrow(), dead);
    coordinator.step(operations.claimDue(dead, Duration.ofSeconds(10)).orElseThrow(), dead);
    assertThat(operations.find(id).orElseThrow().state()).isEqualTo(KeyOperation.State.COMMITTING);
    // the wallet is in exactly one epoch: 1, with its new set and threshold, all at once
    JsonNode switched = wallet(wallet);
    assertThat(switched.get("key_epoch").asLong()).isEqualTo(1);
    assertThat(participants(switched)).isEqualTo(TWO_REPLACED);
    assertThat(share("node-2", wallet).epoch()).isZero();
    assertThat(TestNode.shareStore("node-6").staged(wallet, 1)).isPresent();
    assertThat(operations.claimDue(dead, Duration.ofMillis(500))).isPresent();

    JsonNode done = runUntilEnded(wallet, id.toString());

    assertThat(done.get("state").asText()).isEqualTo("committed");
    assertThat(TestNode.shareStore("node-2").find(wallet)).isEmpty();
    TWO_REPLACED.forEach(n -> assertThat(share(n, wallet).epoch()).isEqualTo(1));
    payments();
    confirmed(pay(wallet, 50_000));
  }

  @Test
  void anOrchestratorThatDiesWhileDealingLeavesTheWalletInItsEpochAndTheNextRunnerDealsAgain() {
    honest(6);
    UUID wallet = wallet(COIN);
    grow(6);
    UUID id = UUID.fromString(started(wallet, 3, TWO_REPLACED).get("id").asText());
    UUID dead = UUID.randomUUID();
    ReshareCoordinator dying =
        new ReshareCoordinator(wallets, operations, directory, calls, properties) {
          @Override
          void receivedByAll(KeyOperation op) {
            throw new IllegalStateException("killed after every receiver staged");
          }
        };
    votes.step(operations.claimDue(dead, Duration.ofSeconds(10)).orElseThrow(), dead);
    KeyOperation claimed = operations.claimDue(dead, Duration.ofSeconds(8)).orElseThrow();
    assertThatThrownBy(() -> dying.step(claimed, dead)).hasMessageContaining("killed");

    // every receiver staged a share of epoch 1; nothing is committed: the wallet stays in epoch 0
    TWO_REPLACED.forEach(
        n -> assertThat(TestNode.shareStore(n).staged(wallet, 1)).as(n).isPresent());
    JsonNode unchanged = wallet(wallet);
    assertThat(unchanged.get("key_epoch").asLong()).isZero();
    assertThat(unchanged.get("participants")).hasSize(5);
    assertThat(participants(unchanged)).contains("node-2");
    payments();
    confirmed(pay(wallet, 60_000));

    JsonNode done = runUntilEnded(wallet, id.toString());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(wallet(wallet).get("key_epoch").asLong()).isEqualTo(1);
    assertThat(TestNode.shareStore("node-2").find(wallet)).isEmpty();
    confirmed(pay(wallet, 61_000));
  }

  @Test
  void aDealerKilledMidReshareIsLeftOutOfTheNextAttemptAndErasesItsShareOnceBack() {
    cluster(
        Mode.HONEST, Mode.DIES_AT_RESHARE_DEAL, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID wallet = wallet(COIN, COIN);
    grow(6);
    String id = started(wallet, 3, TWO_REPLACED).get("id").asText();

    // node-2 dies on its first deal; a later attempt deals without it and the new set commits
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              runner.runDue();
              return TWO_REPLACED.stream()
                  .allMatch(
                      n ->
                          TestNode.shareStore(n).find(wallet).map(WalletShare::epoch).orElse(-1L)
                              == 1);
            });
    JsonNode waiting = operation(wallet, id);
    assertThat(waiting.get("state").asText()).isEqualTo("committing");
    assertThat(waiting.get("reason").asText()).contains("node-2");
    assertThat(wallet(wallet).get("key_epoch").asLong()).isEqualTo(1);
    assertThat(share("node-2", wallet).epoch()).isZero();

    // node-2 comes back (a new process over the same share store) and erases its share
    TestNode two = new TestNode("node-2", CLUSTER, Mode.HONEST);
    nodes.get(1).close();
    nodes.set(1, two);
    REGISTRY.quicAddress(2, two.start());
    JsonNode done = runUntilEnded(wallet, id);

    assertThat(done.get("state").asText()).isEqualTo("committed");
    assertThat(done.get("reason").asText()).contains("[node-2] erased their shares");
    assertThat(TestNode.shareStore("node-2").find(wallet)).isEmpty();
    payments();
    confirmed(pay(wallet, 70_000));
  }

  @Test
  void aLeavingNodeThatNeverComesBackDoesNotHoldTheReshareAndIsNamed() {
    honest(6);
    UUID wallet = wallet(COIN);
    grow(6);
    UUID id = UUID.fromString(started(wallet, 3, TWO_REPLACED).get("id").asText());
    UUID first = UUID.randomUUID();
    votes.step(operations.claimDue(first, Duration.ofSeconds(10)).orElseThrow(), first);
    coordinator.step(operations.claimDue(first, Duration.ofSeconds(10)).orElseThrow(), first);
    assertThat(operations.find(id).orElseThrow().state()).isEqualTo(KeyOperation.State.COMMITTING);
    // node-2's machine is gone for good before its commit arrives
    nodes.get(1).close();

    JsonNode done = runUntilEnded(wallet, id.toString());

    assertThat(done.get("state").asText()).isEqualTo("committed");
    assertThat(done.get("reason").asText())
        .contains("[node-2] did not confirm erasing their shares of epoch 0");
    TWO_REPLACED.forEach(n -> assertThat(share(n, wallet).epoch()).isEqualTo(1));
    payments();
    confirmed(pay(wallet, 80_000));
  }
}
