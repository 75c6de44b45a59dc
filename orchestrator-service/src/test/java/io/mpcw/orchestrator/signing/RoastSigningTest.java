package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.signing.EtcdSigningSessions;
import io.mpcw.protocol.signing.SignCommitRequest;
import io.mpcw.protocol.signing.SignPooledShareRequest;
import io.mpcw.protocol.signing.SignPrecommitRequest;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ROAST coordination of FROST on pre-shared commitments, end to end: real nodes' signing code over
 * QUIC + mTLS, share records and aborts in etcd, sessions in PostgreSQL, the chain simulator's
 * ledger. A 3-of-5 wallet, so at most 5 − 3 + 1 = 3 sessions per run.
 */
class RoastSigningTest extends OrchestratorTestBase {
  private static final long COIN = 1_000_000;

  @Autowired List<StageHandler> handlers;
  @Autowired WorkClaims claims;
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics orchestrationMetrics;
  @Autowired Wallets wallets;
  @Autowired Payments payments;
  @Autowired SigningAttempts attempts;
  @Autowired SigningSessions sessions;
  @Autowired SessionSettlement settlement;
  @Autowired SightingWriter seen;
  @Autowired RegistryClient registry;
  @Autowired NodeDirectory directory;
  @Autowired NodeLatencies latencies;
  @Autowired SigningMetrics signingMetrics;
  @Autowired EtcdSigningSessions etcdSessions;
  @Autowired io.mpcw.transport.TransportClient transport;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  private static final Duration LONG = Duration.ofMinutes(10);

  private final List<TestNode> nodes = new ArrayList<>();
  private final List<PipelineEngine> engines = new ArrayList<>();

  static final class ReplicaDied extends Error {
    ReplicaDied() {
      super("the orchestrator replica died here", null, false, false);
    }
  }

  @AfterEach
  void stopEverything() {
    engines.forEach(PipelineEngine::close);
    nodes.forEach(TestNode::close);
  }

  @Test
  void withHonestSignersOneSessionSignsAndTheCriticalPathIsOnlyRoundTwo() {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    Replica replica = replica(LONG);
    warm(replica.pools(), txId);
    Map<String, Integer> precommitsBefore = counts(SignPrecommitRequest.TYPE);

    run(replica);
    JsonNode tx = awaitState(txId, "signed");

    JsonNode signing = tx.get("signing");
    assertThat(signing.get("attempts").asInt()).isEqualTo(1);
    JsonNode only = signing.get("attempts_detail").get(0);
    assertThat(only.get("outcome").asText()).isEqualTo("ok");
    assertThat(texts(only.get("signers"))).containsExactly("node-1", "node-2", "node-3");
    assertThat(only.get("signers_detail").toString())
        .isEqualTo("{\"node-1\":\"share ok\",\"node-2\":\"share ok\",\"node-3\":\"share ok\"}");
    // no round 1 at all: no sign.commit, and the used commitments came back with the shares
    assertThat(counts(SignCommitRequest.TYPE).values()).containsOnly(0);
    assertThat(counts(SignPrecommitRequest.TYPE)).isEqualTo(precommitsBefore);
    assertThat(counts(SignPooledShareRequest.TYPE))
        .isEqualTo(Map.of("node-1", 1, "node-2", 1, "node-3", 1, "node-4", 0, "node-5", 0));
    assertValidSignature(tx, txId);
  }

  @Test
  void aSignerThatWithholdsRoundTwoIsRoutedAroundByASiblingSessionWithoutWaitingForIt() {
    cluster(Mode.LOSES_SHARE_REQUESTS, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    // node-1's request would wait 30 s for its deadline; the sibling starts after 300 ms
    Replica replica = replica(Duration.ofMillis(300));
    warm(replica.pools(), txId);

    run(replica);
    JsonNode tx = awaitState(txId, "signed");

    JsonNode detail = tx.get("signing").get("attempts_detail");
    assertThat(detail.size()).isBetween(2, 3);
    JsonNode withheld = detail.get(0);
    assertThat(texts(withheld.get("signers"))).containsExactly("node-1", "node-2", "node-3");
    assertThat(withheld.get("outcome").asText()).isEqualTo("superseded");
    // the winner did not wait for node-1's deadline: its request was still out
    assertThat(withheld.get("signers_detail").get("node-1").asText())
        .isEqualTo("no answer yet (a sibling session won)");
    assertThat(withheld.get("signers_detail").get("node-2").asText()).isEqualTo("share ok");
    JsonNode winner = detail.get(detail.size() - 1);
    assertThat(winner.get("outcome").asText()).isEqualTo("ok");
    assertThat(texts(winner.get("signers"))).doesNotContain("node-1");
    // recorded by the statement that closed the winner with the move to signed
    for (String signer : texts(winner.get("signers"))) {
      assertThat(winner.get("signers_detail").get(signer).asText()).isEqualTo("share ok");
    }
    assertThat(openSessions(txId)).isZero();
    assertThat(etcdSessions.read(txId, sessionOf(withheld), List.of("node-1")).aborted()).isTrue();
    assertValidSignature(tx, txId);
    // the unanswered request counts as a slow round trip, so node-1 scores worse next time
    Map<String, Double> latency = latencies.snapshot();
    assertThat(latency.get("node-1"))
        .isGreaterThan(latency.get("node-2"))
        .isGreaterThan(latency.get("node-3"));
  }

  @Test
  void aSignerThatStragglesBehindItsPeersIsRoutedAroundWithoutWaitingForTheGraceCeiling() {
    cluster(Mode.LOSES_SHARE_REQUESTS, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    // a ten-minute ceiling: only the straggler rule (node-2 and node-3 answered; node-1 has had
    // three times their time) can start the sibling before the test gives up
    Replica replica = replica(LONG, 3, (tx, session) -> {});
    warm(replica.pools(), txId);
    double stragglerSiblings = siblingsStarted("straggler");

    run(replica);
    JsonNode tx = awaitState(txId, "signed");

    JsonNode detail = tx.get("signing").get("attempts_detail");
    JsonNode first = detail.get(0);
    assertThat(texts(first.get("signers"))).containsExactly("node-1", "node-2", "node-3");
    assertThat(first.get("signers_detail").get("node-1").asText())
        .isEqualTo("no answer yet (a sibling session won)");
    assertThat(detail.get(detail.size() - 1).get("outcome").asText()).isEqualTo("ok");
    assertValidSignature(tx, txId);
    assertThat(siblingsStarted("straggler")).isGreaterThan(stragglerSiblings);
  }

  @Test
  void aSignerSendingAnInvalidShareAfterAValidOneIsMarkedAndLeftOutAndThePaymentSigned() {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID first = paymentInSigning();
    Replica replica = replica(LONG);
    warm(replica.pools(), first);
    run(replica);
    JsonNode honest = awaitState(first, "signed");
    assertThat(
            honest
                .get("signing")
                .get("attempts_detail")
                .get(0)
                .get("signers_detail")
                .get("node-1")
                .asText())
        .isEqualTo("share ok");

    nodes.get(0).mode(Mode.BAD_SHARE);
    double failureSiblings = siblingsStarted("failure");
    UUID second = paymentInSigning();
    JsonNode tx = awaitState(second, "signed");

    JsonNode detail = tx.get("signing").get("attempts_detail");
    JsonNode cheated = detail.get(0);
    assertThat(texts(cheated.get("signers"))).contains("node-1");
    assertThat(cheated.get("outcome").asText()).isEqualTo("culprit");
    assertThat(texts(cheated.get("culprits"))).contains("node-1");
    assertThat(cheated.get("detail").asText()).contains("node-1: invalid signature share");
    assertThat(cheated.get("signers_detail").get("node-1").asText()).isEqualTo("invalid share");
    for (int i = 1; i < detail.size(); i++) {
      assertThat(texts(detail.get(i).get("signers"))).doesNotContain("node-1");
    }
    assertThat(detail.get(detail.size() - 1).get("outcome").asText()).isEqualTo("ok");
    assertThat(detail.size()).isLessThanOrEqualTo(3);
    assertValidSignature(tx, second);
    // the ten-minute ceiling never ended: the invalid share did
    assertThat(siblingsStarted("failure")).isGreaterThan(failureSiblings);
  }

  @Test
  void aSignerRestartedBetweenCommitmentAndShareIsNotBlamedAndThePaymentSigned() {
    // node-1's signing process restarts once its commitments are pooled, before round 2 reaches it
    cluster(Mode.RESTARTS_BEFORE_SHARE, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    Replica replica = replica(LONG);
    warm(replica.pools(), txId);

    run(replica);
    JsonNode tx = awaitState(txId, "signed");

    JsonNode first = tx.get("signing").get("attempts_detail").get(0);
    assertThat(first.get("signers_detail").get("node-1").asText())
        .startsWith("refused: UNKNOWN_SESSION");
    assertThat(first.get("outcome").asText()).isNotEqualTo("culprit");
    assertValidSignature(tx, txId);
    // it gave fresh commitments and is a signer again
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> replica.pools().available("node-1", walletOf(txId)) > 0);
    assertThat(nodes.get(0).pendingCommitments()).isPositive();
  }

  @Test
  void aFailoverDuringConcurrentSessionsSignsOnceSettlesEverySessionAndReusesNoCommitment() {
    cluster(Mode.LOSES_SHARE_REQUESTS, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    // the dying replica (its own memory, so its own pools) dies once a session is fully answered:
    // node-1 withholds in the first, so that is the sibling started after the grace
    Replica dying =
        replica(
            Duration.ofMillis(300),
            (tx, session) -> {
              throw new ReplicaDied();
            });
    warm(dying.pools(), txId);
    ClaimedTransaction claim = claimNow(txId);
    assertThatThrownBy(() -> dying.stage().handle(claim)).isInstanceOf(ReplicaDied.class);
    List<SigningSession> open = sessions.open(txId);
    assertThat(open).hasSize(2);
    assertThat(open.get(0).signers()).containsExactly("node-1", "node-2", "node-3");
    nodes.get(0).mode(Mode.HONEST); // node-1 still holds the first session's nonces

    takeOver();
    JsonNode tx = awaitState(txId, "signed");

    assertThat(openSessions(txId)).isZero();
    Map<UUID, String> states = sessionStates(txId);
    assertThat(states).containsKeys(open.get(0).sessionId(), open.get(1).sessionId());
    assertThat(states.values()).contains("complete");
    // every session of the payment used commitments no other session used
    Set<UUID> ids = new HashSet<>();
    Set<String> commitments = new HashSet<>();
    int used = 0;
    for (SigningSession s : allSessions(txId)) {
      for (String node : s.signers()) {
        ids.addAll(s.commitmentIds().get(node));
        commitments.addAll(s.commitments().get(node));
        used += s.commitmentIds().get(node).size();
      }
    }
    assertThat(ids).hasSize(used);
    assertThat(commitments).hasSize(used);
    // one transaction: the chain accepts the one signed and the payment confirms
    assertValidSignature(tx, txId);
    engine(TransactionState.SIGNED, TransactionState.BROADCASTING);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String state = get(txId).get("state").asText();
              if (state.equals("broadcasting")) {
                CHAIN.mine();
              }
              return state;
            },
            s -> s.equals("confirmed"));
  }

  // ---------------------------------------------------------------------------------------------

  private double siblingsStarted(String reason) {
    return meters.counter("orchestration_signing_siblings_started_total", "reason", reason).count();
  }

  private void cluster(Mode... modes) {
    for (int i = 0; i < modes.length; i++) {
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      nodes.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
    // node-1..3 score best, so the first session is theirs
    for (int i = 1; i <= 5; i++) {
      REGISTRY.cpuLoad(i, i <= 3 ? 0.0 : 100.0);
    }
  }

  /** Fills the pools of the payment's wallet and waits until every node has commitments there. */
  private void warm(CommitmentPools into, UUID txId) {
    Wallet wallet = walletOf(txId);
    into.warm(wallet);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> wallet.participants().stream().allMatch(n -> into.available(n, wallet) >= 8));
  }

  private Wallet walletOf(UUID txId) {
    return wallets.find(UUID.fromString(get(txId).get("wallet_id").asText())).orElseThrow();
  }

  private Map<String, Integer> counts(String type) {
    Map<String, Integer> out = new HashMap<>();
    nodes.forEach(n -> out.put(n.nodeId(), n.requestsOf(type)));
    return out;
  }

  private UUID wallet;

  /** A payment of a funded 3-of-5 wallet (one per test), voted, built and claimable in signing. */
  private UUID paymentInSigning() {
    if (wallet == null) {
      JsonNode created =
          api.post(
                  "/api/v1/wallets",
                  SUBMIT_KEY,
                  "{\"name\":\"roast-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
              .body();
      assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("ready");
      CHAIN.fund(created.get("address").asText(), COIN);
      CHAIN.fund(created.get("address").asText(), COIN);
      wallet = UUID.fromString(created.get("id").asText());
    }
    PipelineEngine upToSigning =
        engine(TransactionState.PENDING, TransactionState.VOTING, TransactionState.APPROVED);
    JsonNode body =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"wallet_id\":\""
                    + wallet
                    + "\",\"recipient\":\""
                    + ADDRESS
                    + "\",\"amount_sats\":42000,\"fee_rate_sat_vb\":2}")
            .body();
    UUID txId = UUID.fromString(body.get("id").asText());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Set.of("signing", "signed").contains(get(txId).get("state").asText()));
    upToSigning.close();
    engines.remove(upToSigning);
    return txId;
  }

  private ClaimedTransaction claimNow(UUID txId) {
    List<ClaimedTransaction> claimed = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              claimed.addAll(
                  claims.claim(TransactionState.SIGNING, 1, Duration.ofSeconds(1), "replica-a"));
              return !claimed.isEmpty();
            });
    assertThat(claimed.get(0).tx().id()).isEqualTo(txId);
    return claimed.get(0);
  }

  /**
   * An orchestrator replica's signing stage with its own memory (commitment pools) and a request
   * deadline far above anything a loaded test machine takes, so that which sessions start depends
   * on what the signers do, not on how fast they are: with {@code grace} long, a session that can
   * still complete is never joined by a sibling (the straggler rule is off too: a loaded machine
   * may answer one honest signer many times slower than the others); with it short, one is as soon
   * as the grace ends or a signer straggles.
   */
  private record Replica(SigningStage stage, CommitmentPools pools) {}

  private Replica replica(Duration grace, RoastCollaborators.RoundTwoAnswered hook) {
    return replica(grace, grace.equals(LONG) ? 1_000_000 : 3, hook);
  }

  private Replica replica(
      Duration grace, double stragglerFactor, RoastCollaborators.RoundTwoAnswered hook) {
    SigningProperties properties =
        new SigningProperties(
            Duration.ofSeconds(30),
            Duration.ofMillis(50),
            8,
            4,
            Duration.ofMinutes(5),
            grace,
            Duration.ofSeconds(3),
            stragglerFactor,
            Duration.ofMillis(30),
            Duration.ofSeconds(30),
            true);
    SignerRequests ownRequests =
        new SignerRequests(
            transport,
            new ShareExchanges(transport, properties, signingMetrics),
            latencies,
            properties);
    CommitmentPools own =
        new CommitmentPools(seen, ownRequests, directory, wallets, properties, signingMetrics);
    SigningStage stage =
        new SigningStage(
            wallets,
            payments,
            attempts,
            sessions,
            settlement,
            own,
            registry,
            directory,
            ownRequests,
            latencies,
            properties,
            signingMetrics) {
          @Override
          void roundTwoAnswered(UUID tx, UUID sessionId) {
            hook.answered(tx, sessionId);
          }
        };
    return new Replica(stage, own);
  }

  private Replica replica(Duration grace) {
    return replica(grace, (tx, session) -> {});
  }

  /** Runs the replica's signing stage in a pipeline engine, claiming once any lease expired. */
  private void run(Replica replica) {
    PipelineEngine engine =
        new PipelineEngine(
            "roast-signing-" + engines.size(),
            List.of(replica.stage()),
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(60),
                Duration.ofMillis(200),
                Duration.ofMillis(50),
                Map.of(TransactionState.SIGNING, Duration.ofSeconds(120)),
                ""),
            claims,
            transitions,
            database,
            orchestrationMetrics,
            workSignals);
    engines.add(engine);
    engine.start();
  }

  /** The context's own signing stage (its pools and properties), as another replica would run. */
  private void takeOver() {
    engine(TransactionState.SIGNING);
  }

  private PipelineEngine engine(TransactionState... stages) {
    Set<TransactionState> wanted = Set.of(stages);
    Map<TransactionState, Duration> timeouts = new HashMap<>();
    wanted.forEach(s -> timeouts.put(s, Duration.ofSeconds(60)));
    timeouts.keySet().retainAll(PipelineProperties.TIMED_STATES);
    PipelineEngine engine =
        new PipelineEngine(
            "roast-it-" + engines.size(),
            handlers.stream().filter(h -> wanted.contains(h.stage())).toList(),
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofMillis(200),
                Duration.ofMillis(50),
                timeouts,
                ""),
            claims,
            transitions,
            database,
            orchestrationMetrics,
            workSignals);
    engines.add(engine);
    engine.start();
    return engine;
  }

  private int openSessions(UUID txId) {
    return sessions.open(txId).size();
  }

  private UUID sessionOf(JsonNode attempt) {
    return UUID.fromString(attempt.get("session_id").asText());
  }

  private Map<UUID, String> sessionStates(UUID txId) {
    Map<UUID, String> out = new HashMap<>();
    jdbc.sql("SELECT session_id, state FROM signing_sessions WHERE tx_id = ?")
        .param(txId)
        .query((rs, i) -> out.put(rs.getObject("session_id", UUID.class), rs.getString("state")))
        .list();
    return out;
  }

  /** Every session of the payment, whatever its state, as recorded. */
  private List<SigningSession> allSessions(UUID txId) {
    List<SigningSession> out = new ArrayList<>();
    jdbc.sql(
            "SELECT session_id, signers, commitments::text AS c, commitment_ids::text AS i"
                + " FROM signing_sessions WHERE tx_id = ?")
        .param(txId)
        .query(
            (rs, i) ->
                out.add(
                    new SigningSession(
                        rs.getObject("session_id", UUID.class),
                        txId,
                        java.util.Arrays.asList((String[]) rs.getArray("signers").getArray()),
                        parse(
                            rs.getString("c"),
                            new com.fasterxml.jackson.core.type.TypeReference<
                                Map<String, List<String>>>() {}),
                        parse(
                            rs.getString("i"),
                            new com.fasterxml.jackson.core.type.TypeReference<
                                Map<String, List<UUID>>>() {}),
                        "",
                        java.time.Instant.now())))
        .list();
    return out;
  }

  private static <T> T parse(String json, com.fasterxml.jackson.core.type.TypeReference<T> type) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private void assertValidSignature(JsonNode tx, UUID txId) {
    BuiltPayment payment = payments.find(txId).orElseThrow();
    Wallet w = walletOf(txId);
    Transaction signed = Transaction.parseHex(tx.get("chain").get("raw_tx").asText());
    byte[] message =
        new TaprootSighash(payment.unsigned(), payment.prevouts()).sigHash(0, SighashType.DEFAULT);
    assertThat(Bip340.verify(message, w.outputKey().orElseThrow(), signed.witness(0).item(0)))
        .isTrue();
  }

  private JsonNode get(UUID id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private JsonNode awaitState(UUID id, String state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> get(id).get("state").asText(),
            s -> s.equals(state) || Set.of("failed", "confirmed").contains(s));
    JsonNode tx = get(id);
    assertThat(tx.get("state").asText()).as(tx.toString()).isEqualTo(state);
    return tx;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
