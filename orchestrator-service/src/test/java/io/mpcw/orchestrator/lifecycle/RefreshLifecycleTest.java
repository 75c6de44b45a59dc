package io.mpcw.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.protocol.share.WalletShare;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes end to end: the orchestrator's operation runner over QUIC to five nodes running the
 * real refresh participant over their share stores, on real PostgreSQL and etcd, with payments
 * signed by the real signing stage and checked by the chain simulator before and after.
 */
class RefreshLifecycleTest extends OrchestratorTestBase {
  private static final long COIN = 1_000_000;

  @Autowired List<StageHandler> handlers;
  @Autowired WorkClaims claims;
  @Autowired WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired KeyOperationRunner runner;
  @Autowired KeyOperations operations;
  @Autowired RefreshCoordinator coordinator;
  @Autowired io.mpcw.orchestrator.wallet.Wallets wallets;
  @Autowired io.mpcw.orchestrator.cluster.NodeDirectory directory;
  @Autowired NodeCalls calls;
  @Autowired LifecycleProperties properties;

  private final List<TestNode> nodes = new ArrayList<>();
  private final List<PipelineEngine> engines = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    engines.forEach(PipelineEngine::close);
    nodes.forEach(TestNode::close);
    TestNode.REFRESH_REFUSALS.clear();
  }

  private void cluster(Mode... modes) {
    for (int i = 0; i < modes.length; i++) {
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      nodes.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
  }

  private void honestCluster() {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
  }

  /** Every payment stage, in one engine. */
  private void payments() {
    PipelineEngine engine =
        new PipelineEngine(
            "refresh-it-" + engines.size(),
            handlers,
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Map.of(TransactionState.SIGNING, Duration.ofSeconds(60)),
                ""),
            claims,
            transitions,
            database,
            metrics,
            workSignals);
    engines.add(engine);
    engine.start();
  }

  private UUID wallet(long... coins) {
    JsonNode created =
        api.post(
                "/api/v1/wallets",
                SUBMIT_KEY,
                "{\"name\":\"refresh-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
            .body();
    assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("ready");
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
  private void confirmed(String id) {
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
  }

  private JsonNode tx(String id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private JsonNode refresh(UUID wallet) {
    var response = api.post("/api/v1/wallets/" + wallet + "/refresh", SUBMIT_KEY, "");
    assertThat(response.status()).as(response.body().toString()).isEqualTo(202);
    return response.body();
  }

  private JsonNode operation(UUID wallet, String id) {
    return api.get("/api/v1/wallets/" + wallet + "/operations/" + id, READ_KEY).body();
  }

  /** Runs the operation runner (as a replica would, poll after poll) until the operation ends. */
  private JsonNode runUntilEnded(UUID wallet, String id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              runner.runDue();
              return operation(wallet, id).get("state").asText();
            },
            s -> Set.of("committed", "rejected", "aborted").contains(s));
    return operation(wallet, id);
  }

  private WalletShare share(String node, UUID wallet) {
    return TestNode.shareStore(node).find(wallet).orElseThrow();
  }

  @Test
  void aRefreshGivesEveryNodeANewShareOfTheSameKeyAndPaymentsConfirmBeforeDuringAndAfter() {
    honestCluster();
    UUID wallet = wallet(COIN, COIN, COIN);
    JsonNode before = wallet(wallet);
    assertThat(before.get("key_epoch").asLong()).isZero();
    Map<String, byte[]> oldShares = new java.util.HashMap<>();
    nodes.forEach(
        n ->
            oldShares.put(
                n.nodeId(), share(n.nodeId(), wallet).keyPackage().signingShare().encode()));
    payments();
    confirmed(pay(wallet, 40_000));

    // a payment in flight while the refresh runs: it signs in one epoch or the other
    String during = pay(wallet, 41_000);
    JsonNode started = refresh(wallet);
    assertThat(started.get("state").asText()).isEqualTo("voting");
    JsonNode done = runUntilEnded(wallet, started.get("id").asText());
    confirmed(during);

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(done.get("votes")).hasSize(5);
    assertThat(done.get("votes").get("node-1").get("decision").asText()).isEqualTo("approve");
    List<String> path = new ArrayList<>();
    done.get("history").forEach(h -> path.add(h.get("to").asText()));
    assertThat(path).containsExactly("voting", "dealing", "committing", "committed");
    JsonNode after = wallet(wallet);
    assertThat(after.get("key_epoch").asLong()).isEqualTo(1);
    assertThat(after.get("address").asText()).isEqualTo(before.get("address").asText());
    assertThat(after.get("output_key").asText()).isEqualTo(before.get("output_key").asText());
    assertThat(after.get("threshold").asInt()).isEqualTo(before.get("threshold").asInt());
    assertThat(after.get("participants")).hasSize(5);
    assertThat(after.get("last_operations").get(0).get("state").asText()).isEqualTo("committed");
    for (TestNode node : nodes) {
      WalletShare share = share(node.nodeId(), wallet);
      assertThat(share.epoch()).isEqualTo(1);
      assertThat(share.keyPackage().signingShare().encode())
          .isNotEqualTo(oldShares.get(node.nodeId()));
      assertThat(TestNode.shareStore(node.nodeId()).staged(wallet, 1)).isEmpty();
    }

    confirmed(pay(wallet, 42_000));
  }

  @Test
  void aRefreshTheNodesPoliciesRejectChangesNothingAndKeepsTheirReasons() {
    honestCluster();
    UUID wallet = wallet(COIN);
    TestNode.REFRESH_REFUSALS.put("node-1", "change freeze until the audit");
    TestNode.REFRESH_REFUSALS.put("node-2", "change freeze until the audit");
    TestNode.REFRESH_REFUSALS.put("node-3", "refreshed last week");

    JsonNode done = runUntilEnded(wallet, refresh(wallet).get("id").asText());

    assertThat(done.get("state").asText()).isEqualTo("rejected");
    assertThat(done.get("votes").get("node-3").get("reason").asText())
        .isEqualTo("refreshed last week");
    assertThat(done.get("reason").asText()).contains("node-1: change freeze until the audit");
    assertThat(wallet(wallet).get("key_epoch").asLong()).isZero();
    nodes.forEach(n -> assertThat(share(n.nodeId(), wallet).epoch()).isZero());
  }

  @Test
  void aSecondRefreshWhileOneRunsIsRefusedAndAnUnknownWalletIsNotFound() {
    honestCluster();
    UUID wallet = wallet(COIN);
    refresh(wallet);

    var again = api.post("/api/v1/wallets/" + wallet + "/refresh", SUBMIT_KEY, "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("type").asText()).endsWith("conflict");
    var unknown = api.post("/api/v1/wallets/" + UUID.randomUUID() + "/refresh", SUBMIT_KEY, "");
    assertThat(unknown.status()).isEqualTo(404);
    var readOnly = api.post("/api/v1/wallets/" + wallet + "/refresh", READ_KEY, "");
    assertThat(readOnly.status()).isEqualTo(403);
  }

  @Test
  void aNodeKilledDuringDealingLeavesTheWalletUsableInItsEpochAndTheRefreshCommitsOnceItIsBack() {
    cluster(Mode.HONEST, Mode.DIES_AT_REFRESH_PART2, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID wallet = wallet(COIN, COIN);
    String id = refresh(wallet).get("id").asText();

    // voting, then a dealing attempt that loses node-2 in part 2
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              runner.runDue();
              return operations.find(UUID.fromString(id)).orElseThrow().attempts();
            },
            attempts -> attempts >= 1);
    JsonNode dealing = operation(wallet, id);
    assertThat(dealing.get("state").asText()).isEqualTo("dealing");
    assertThat(dealing.get("reason").asText()).contains("node-2");
    assertThat(wallet(wallet).get("key_epoch").asLong()).isZero();
    for (String node : List.of("node-1", "node-3", "node-4", "node-5")) {
      assertThat(TestNode.shareStore(node).staged(wallet, 1)).as(node).isEmpty();
    }
    // the wallet signs on in epoch 0 with the four others
    payments();
    confirmed(pay(wallet, 30_000));

    // node-2 comes back: a new process over the same share store, at the address it registers
    nodes.get(1).close();
    TestNode two = new TestNode("node-2", CLUSTER, Mode.HONEST);
    nodes.set(1, two);
    REGISTRY.quicAddress(2, two.start());
    JsonNode done = runUntilEnded(wallet, id);

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(wallet(wallet).get("key_epoch").asLong()).isEqualTo(1);
    nodes.forEach(n -> assertThat(share(n.nodeId(), wallet).epoch()).isEqualTo(1));
    confirmed(pay(wallet, 31_000));
  }

  @Test
  void anOrchestratorThatDiesAfterTheEpochSwitchIsRecordedIsFollowedByOneThatCommits() {
    honestCluster();
    UUID wallet = wallet(COIN);
    UUID id = UUID.fromString(refresh(wallet).get("id").asText());
    UUID dead = UUID.randomUUID();

    // the first runner votes and deals, records committing, and dies before any commit is sent
    coordinator.step(operations.claimDue(dead, Duration.ofSeconds(10)).orElseThrow(), dead);
    coordinator.step(operations.claimDue(dead, Duration.ofSeconds(10)).orElseThrow(), dead);
    assertThat(operations.find(id).orElseThrow().state()).isEqualTo(KeyOperation.State.COMMITTING);
    assertThat(wallet(wallet).get("key_epoch").asLong()).isEqualTo(1);
    nodes.forEach(n -> assertThat(share(n.nodeId(), wallet).epoch()).isZero());
    // and it had claimed the operation again when it died: its lease must run out first
    assertThat(operations.claimDue(dead, Duration.ofMillis(500))).isPresent();
    runner.runDue();
    assertThat(operations.find(id).orElseThrow().state()).isEqualTo(KeyOperation.State.COMMITTING);

    JsonNode done = runUntilEnded(wallet, id.toString());

    assertThat(done.get("state").asText()).isEqualTo("committed");
    nodes.forEach(n -> assertThat(share(n.nodeId(), wallet).epoch()).isEqualTo(1));
    payments();
    confirmed(pay(wallet, 50_000));
  }

  @Test
  void anOrchestratorThatDiesWhileDealingLeavesNothingCommittedAndTheNextRunnerDealsAgain() {
    honestCluster();
    UUID wallet = wallet(COIN);
    UUID id = UUID.fromString(refresh(wallet).get("id").asText());
    UUID dead = UUID.randomUUID();
    RefreshCoordinator dying =
        new RefreshCoordinator(wallets, operations, directory, calls, properties) {
          @Override
          void partTwoAnswered(KeyOperation op) {
            throw new IllegalStateException("killed after part 2");
          }
        };
    dying.step(operations.claimDue(dead, Duration.ofSeconds(10)).orElseThrow(), dead);
    assertThat(operations.find(id).orElseThrow().state()).isEqualTo(KeyOperation.State.DEALING);

    // every node staged a share of epoch 1, then the runner died holding the lease
    KeyOperation claimed = operations.claimDue(dead, Duration.ofSeconds(8)).orElseThrow();
    assertThatThrownBy(() -> dying.step(claimed, dead)).hasMessageContaining("killed");
    nodes.forEach(n -> assertThat(TestNode.shareStore(n.nodeId()).staged(wallet, 1)).isPresent());
    assertThat(wallet(wallet).get("key_epoch").asLong()).isZero();
    nodes.forEach(n -> assertThat(share(n.nodeId(), wallet).epoch()).isZero());

    JsonNode done = runUntilEnded(wallet, id.toString());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(wallet(wallet).get("key_epoch").asLong()).isEqualTo(1);
    Set<String> keys = new java.util.HashSet<>();
    nodes.forEach(
        n -> {
          assertThat(share(n.nodeId(), wallet).epoch()).isEqualTo(1);
          keys.add(Hex.encode(share(n.nodeId(), wallet).publicKeyPackage().encode()));
        });
    assertThat(keys).hasSize(1);
    payments();
    confirmed(pay(wallet, 60_000));
  }

  @Test
  void aParticipantWhoseShareIsGoneGetsItBackFromThresholdHelpersAfterAVote() {
    honestCluster();
    UUID wallet = wallet(COIN);
    WalletShare lost = share("node-3", wallet);
    ((io.mpcw.protocol.share.MemoryShareStore) TestNode.shareStore("node-3")).lose(wallet);

    var started =
        api.post(
            "/api/v1/wallets/" + wallet + "/repair", SUBMIT_KEY, "{\"participant\":\"node-3\"}");
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.body().get("participant").asText()).isEqualTo("node-3");
    JsonNode done = runUntilEnded(wallet, started.body().get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(done.get("votes")).hasSize(4);
    assertThat(done.get("votes").has("node-3")).isFalse();
    WalletShare repaired = share("node-3", wallet);
    assertThat(repaired.keyPackage()).isEqualTo(lost.keyPackage());
    assertThat(repaired.epoch()).isZero();
    assertThat(wallet(wallet).get("key_epoch").asLong()).isZero();
    payments();
    confirmed(pay(wallet, 70_000));
  }

  @Test
  void aRepairNamesItsParticipantOrIsRefusedNamingTheField() {
    honestCluster();
    UUID wallet = wallet(COIN);

    var stranger =
        api.post(
            "/api/v1/wallets/" + wallet + "/repair", SUBMIT_KEY, "{\"participant\":\"node-9\"}");
    assertThat(stranger.status()).isEqualTo(400);
    assertThat(stranger.body().get("detail").asText()).startsWith("participant:");
    var missing = api.post("/api/v1/wallets/" + wallet + "/repair", SUBMIT_KEY, "{}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().get("detail").asText()).startsWith("participant:");
  }

  @Test
  void aRepairOfANodeThatStillHoldsItsShareOverwritesNothing() {
    honestCluster();
    UUID wallet = wallet(COIN);
    WalletShare kept = share("node-2", wallet);

    var started =
        api.post(
            "/api/v1/wallets/" + wallet + "/repair", SUBMIT_KEY, "{\"participant\":\"node-2\"}");
    JsonNode done = runUntilEnded(wallet, started.body().get("id").asText());

    assertThat(done.get("state").asText()).isEqualTo("committed");
    assertThat(done.get("reason").asText()).contains("already holds a share");
    assertThat(share("node-2", wallet).keyPackage()).isEqualTo(kept.keyPackage());
  }

  @Test
  void aNodeDownWhileCommittingCommitsWhenItIsBackAndPaymentsSignInTheNewEpochMeanwhile() {
    honestCluster();
    UUID wallet = wallet(COIN, COIN);
    UUID id = UUID.fromString(refresh(wallet).get("id").asText());
    UUID first = UUID.randomUUID();
    coordinator.step(operations.claimDue(first, Duration.ofSeconds(10)).orElseThrow(), first);
    coordinator.step(operations.claimDue(first, Duration.ofSeconds(10)).orElseThrow(), first);
    assertThat(operations.find(id).orElseThrow().state()).isEqualTo(KeyOperation.State.COMMITTING);
    // node-4 is killed before its commit arrives: its staged share stays on its disk
    nodes.get(3).close();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              runner.runDue();
              return nodes.stream()
                  .filter(n -> !n.nodeId().equals("node-4"))
                  .allMatch(n -> share(n.nodeId(), wallet).epoch() == 1);
            });
    JsonNode waiting = operation(wallet, id.toString());
    assertThat(waiting.get("state").asText()).isEqualTo("committing");
    assertThat(waiting.get("reason").asText()).contains("node-4");
    assertThat(share("node-4", wallet).epoch()).isZero();
    assertThat(TestNode.shareStore("node-4").staged(wallet, 1)).isPresent();
    // the wallet is usable in epoch 1 meanwhile, with the four that committed
    payments();
    confirmed(pay(wallet, 80_000));

    TestNode four = new TestNode("node-4", CLUSTER, Mode.HONEST);
    nodes.set(3, four);
    REGISTRY.quicAddress(4, four.start());
    JsonNode done = runUntilEnded(wallet, id.toString());

    assertThat(done.get("state").asText()).isEqualTo("committed");
    assertThat(share("node-4", wallet).epoch()).isEqualTo(1);
    assertThat(TestNode.shareStore("node-4").staged(wallet, 1)).isEmpty();
    confirmed(pay(wallet, 81_000));
  }

  @Test
  void aHelperKilledDuringARepairIsLeftOutOfTheNextAttemptAndTheShareIsRebuilt() {
    cluster(Mode.DIES_AT_REPAIR_PART2, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID wallet = wallet(COIN);
    WalletShare lost = share("node-3", wallet);
    ((io.mpcw.protocol.share.MemoryShareStore) TestNode.shareStore("node-3")).lose(wallet);

    var started =
        api.post(
            "/api/v1/wallets/" + wallet + "/repair", SUBMIT_KEY, "{\"participant\":\"node-3\"}");
    JsonNode done = runUntilEnded(wallet, started.body().get("id").asText());

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("committed");
    assertThat(done.get("reason").asText()).doesNotContain("node-1");
    assertThat(share("node-3", wallet).keyPackage()).isEqualTo(lost.keyPackage());
    List<String> reasons = new ArrayList<>();
    done.get("history").forEach(h -> reasons.add(h.get("to").asText()));
    assertThat(reasons).containsExactly("voting", "dealing", "committed");
  }

  @Test
  void aWalletWithoutKeysCanBeNeitherRefreshedNorRepaired() {
    UUID failed = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO wallets (id, name, threshold, participants, network, status,"
                + " status_reason) VALUES (?, ?, 3, ?, 'regtest', 'failed', 'test: no key')")
        .params(
            failed,
            "keyless-" + failed.toString().substring(0, 8),
            new String[] {"node-1", "node-2", "node-3", "node-4", "node-5"})
        .update();

    var refresh = api.post("/api/v1/wallets/" + failed + "/refresh", SUBMIT_KEY, "");
    var repair =
        api.post(
            "/api/v1/wallets/" + failed + "/repair", SUBMIT_KEY, "{\"participant\":\"node-3\"}");

    for (var response : List.of(refresh, repair)) {
      assertThat(response.status()).isEqualTo(409);
      assertThat(response.body().get("type").asText()).endsWith("invalid-state");
    }
    assertThat(operations.recent(failed, 5)).isEmpty();
  }
}
