package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.payment.BuiltPayment;
import io.mpcw.orchestrator.payment.Payments;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.EtcdSigningSessions;
import io.mpcw.protocol.signing.SessionRecord;
import io.mpcw.protocol.signing.ShareRecord;
import io.mpcw.protocol.signing.SignShareResponse;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.types.transaction.TransactionState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An orchestrator replica dies in the middle of a FROST session — after the signers released their
 * round-2 shares, before anything was recorded as signed — and another takes the payment over once
 * the lease runs out. The dead replica is the real signing stage stopped dead at that point (an
 * {@link Error} thrown from {@link SigningStage#roundTwoAnswered}, so none of its code runs after
 * it); the nodes, etcd, PostgreSQL, QUIC and the chain simulator are real.
 */
class SigningTakeoverTest extends OrchestratorTestBase {
  private static final long COIN = 1_000_000;

  @Autowired List<StageHandler> handlers;
  @Autowired WorkClaims claims;
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics orchestrationMetrics;
  @Autowired MeterRegistry meters;
  @Autowired Client etcd;
  @Autowired EtcdSigningSessions etcdSessions;
  @Autowired EtcdKeys keys;
  @Autowired Wallets wallets;
  @Autowired Payments payments;
  @Autowired SigningAttempts attempts;
  @Autowired SigningSessions sessions;
  @Autowired SessionSettlement settlement;
  @Autowired CommitmentPools pools;
  @Autowired RegistryClient registry;
  @Autowired NodeDirectory directory;
  @Autowired SignerRequests requests;
  @Autowired NodeLatencies latencies;
  @Autowired SigningProperties signingProperties;
  @Autowired SigningMetrics signingMetrics;

  private final List<TestNode> nodes = new ArrayList<>();
  private final List<PipelineEngine> engines = new ArrayList<>();

  /** What a replica's death looks like from inside: nothing after this point runs. */
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

  // ---------------------------------------------------------------------------------------------

  @Test
  void aReplicaDeadAfterTheSharesWereReleasedIsTakenOverWithTheSameSignature() throws Exception {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    double resumedBefore = counter("orchestration_signing_sessions_resumed_total");

    diesAfterRoundTwo(txId);

    SigningSession left = onlyOpenSession(txId);
    SessionRecord released = etcdSessions.read(txId, left.sessionId(), left.signers());
    assertThat(released.completeFor(left.signers())).isTrue();
    byte[] expected = aggregate(txId, left, released);

    takeOver();
    JsonNode tx = awaitState(txId, "signed");

    Transaction signed = Transaction.parseHex(tx.get("chain").get("raw_tx").asText());
    assertThat(signed.witness(0).item(0)).isEqualTo(expected);
    assertThat(sessionStates(txId)).containsExactly(Map.entry(left.sessionId(), "complete"));
    assertThat(sessionsInEtcd(txId)).containsExactly(left.sessionId());
    assertThat(etcdSessions.read(txId, left.sessionId(), left.signers()).aborted()).isFalse();
    JsonNode signing = tx.get("signing");
    assertThat(signing.get("attempts").asInt()).isEqualTo(1);
    assertThat(signing.get("attempts_detail").get(0).get("outcome").asText()).isEqualTo("ok");
    assertThat(signing.get("attempts_detail").get(0).get("detail").asText())
        .isEqualTo("finished after a takeover");
    assertThat(counter("orchestration_signing_sessions_resumed_total"))
        .isEqualTo(resumedBefore + 1);
    // the chain checks the signature the takeover produced
    engine(Duration.ofSeconds(30), TransactionState.SIGNED, TransactionState.BROADCASTING);
    mineUntilConfirmed(txId);
  }

  @Test
  void aSessionCompleteInEtcdIsSignedNotFailedWhenTheSigningTimeoutHasPassed() throws Exception {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    diesAfterRoundTwo(txId);
    SigningSession left = onlyOpenSession(txId);
    byte[] expected =
        aggregate(txId, left, etcdSessions.read(txId, left.sessionId(), left.signers()));

    // the replica taking over finds the payment long past its signing timeout
    engine(Duration.ofSeconds(30), Duration.ofMillis(1), TransactionState.SIGNING);
    JsonNode tx = awaitState(txId, "signed");

    Transaction signed = Transaction.parseHex(tx.get("chain").get("raw_tx").asText());
    assertThat(signed.witness(0).item(0)).isEqualTo(expected);
  }

  @Test
  void aTakeoverAsksOnlyTheSignerWithNoRecordedShareAndFinishesTheSameSession() {
    cluster(Mode.LOSES_SHARE_REQUESTS, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();

    diesAfterRoundTwo(txId);
    SigningSession left = onlyOpenSession(txId);
    assertThat(etcdSessions.read(txId, left.sessionId(), left.signers()).shares())
        .containsOnlyKeys("node-2", "node-3");
    // node-1 never saw round 2: it still holds the session's nonces (and spares for later)
    assertThat(nodes.get(0).pendingCommitments()).isPositive();
    nodes.get(0).mode(Mode.HONEST);

    takeOver();
    JsonNode tx = awaitState(txId, "signed");

    SessionRecord finished = etcdSessions.read(txId, left.sessionId(), left.signers());
    assertThat(finished.completeFor(left.signers())).isTrue();
    Transaction signed = Transaction.parseHex(tx.get("chain").get("raw_tx").asText());
    assertThat(signed.witness(0).item(0)).isEqualTo(aggregate(txId, left, finished));
    assertThat(sessionStates(txId)).containsExactly(Map.entry(left.sessionId(), "complete"));
    assertThat(sessionsInEtcd(txId)).containsExactly(left.sessionId());
  }

  @Test
  void aSignerThatRestartedMakesTheTakeoverAbortTheOldSessionAndSignAFreshOne() {
    cluster(Mode.RESTARTS_BEFORE_SHARE, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    double abortedBefore = counter("orchestration_signing_sessions_aborted_total");

    diesAfterRoundTwo(txId);
    SigningSession old = onlyOpenSession(txId);
    assertThat(etcdSessions.read(txId, old.sessionId(), old.signers()).shares())
        .containsOnlyKeys("node-2", "node-3");
    nodes.get(0).mode(Mode.HONEST); // back up, but its nonces of the old session are gone

    takeOver();
    JsonNode tx = awaitState(txId, "signed");

    Map<UUID, String> states = sessionStates(txId);
    assertThat(states).hasSize(2).containsEntry(old.sessionId(), "aborted");
    UUID fresh =
        states.keySet().stream().filter(s -> !s.equals(old.sessionId())).findFirst().orElseThrow();
    assertThat(states).containsEntry(fresh, "complete");
    SessionRecord aborted = etcdSessions.read(txId, old.sessionId(), old.signers());
    assertThat(aborted.aborted()).isTrue();
    assertThat(aborted.missing(old.signers())).containsExactly("node-1");
    assertThat(aborted.abortedBecause().orElseThrow()).contains("node-1");
    // the old session can never complete: a late record of the missing share is refused
    SignShareResponse late =
        new SignShareResponse(old.sessionId(), "node-1", List.of("01".repeat(32)));
    // (written as node-1 itself: the orchestrator's etcd role cannot write a node's keys at all)
    try (io.etcd.jetcd.Client asNode1 = ETCD.client("node-1")) {
      EtcdSigningSessions node1Sessions =
          new EtcdSigningSessions(asNode1.getKVClient(), ETCD.keys(), Duration.ofSeconds(5));
      assertThatThrownBy(
              () ->
                  node1Sessions
                      .recorder(CLUSTER.pki().loadIdentity("node-1"))
                      .record(txId, 0, late))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ProtocolErrors.SESSION_ABORTED));
    }
    assertThat(
            etcdSessions
                .abortUnlessComplete(txId, old.sessionId(), old.signers(), "again")
                .completeFor(old.signers()))
        .isFalse();

    JsonNode signing = tx.get("signing");
    assertThat(texts(signing.get("signers"))).doesNotContain("node-1").hasSize(3);
    JsonNode first = signing.get("attempts_detail").get(0);
    assertThat(first.get("outcome").asText()).isEqualTo("unreachable");
    assertThat(texts(first.get("culprits"))).containsExactly("node-1");
    assertThat(first.get("detail").asText()).contains("taken over").contains("UNKNOWN_SESSION");
    assertThat(signing.get("attempts_detail").get(1).get("outcome").asText()).isEqualTo("ok");
    assertThat(counter("orchestration_signing_sessions_aborted_total"))
        .isEqualTo(abortedBefore + 1);
    assertValidSignature(tx, txId);
  }

  @Test
  void aSessionTheDeadReplicaAbortedIsClosedWithoutAskingAgainAndAFreshOneSigns() {
    cluster(Mode.RESTARTS_BEFORE_SHARE, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    diesAfterRoundTwo(txId);
    SigningSession old = onlyOpenSession(txId);
    // the dead replica got as far as the abort in etcd, not as far as PostgreSQL
    assertThat(
            etcdSessions
                .abortUnlessComplete(txId, old.sessionId(), old.signers(), "node-1 lost nonces")
                .aborted())
        .isTrue();
    nodes.get(0).mode(Mode.HONEST);

    takeOver();
    JsonNode tx = awaitState(txId, "signed");

    assertThat(sessionStates(txId)).containsEntry(old.sessionId(), "aborted").hasSize(2);
    JsonNode first = tx.get("signing").get("attempts_detail").get(0);
    assertThat(texts(first.get("culprits"))).containsExactly("node-1");
    assertThat(first.get("detail").asText()).contains("no shares recorded");
    assertValidSignature(tx, txId);
  }

  @Test
  void whileEtcdCannotSettleAnOpenSessionNoNewSessionStarts() {
    cluster(Mode.RESTARTS_BEFORE_SHARE, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    diesAfterRoundTwo(txId);
    SigningSession old = onlyOpenSession(txId);
    nodes.get(0).mode(Mode.HONEST);

    try (Client unreachable = Client.builder().endpoints("http://127.0.0.1:1").build()) {
      EtcdSigningSessions cut =
          new EtcdSigningSessions(unreachable.getKVClient(), keys, Duration.ofMillis(300));
      SigningStage cutOff =
          stage(
              new SessionSettlement(cut, sessions, attempts, database, signingMetrics, directory),
              false);
      StageOutcome outcome = cutOff.handle(claimNow(txId));

      assertThat(outcome).isInstanceOf(StageOutcome.Retry.class);
      assertThat(((StageOutcome.Retry) outcome).note()).contains("etcd");
    }
    assertThat(sessionStates(txId)).containsExactly(Map.entry(old.sessionId(), "open"));
    assertThat(sessionsInEtcd(txId)).containsExactly(old.sessionId());
    assertThat(etcdSessions.read(txId, old.sessionId(), old.signers()).aborted()).isFalse();

    // etcd back: the next run settles the old session first, then signs in a fresh one
    takeOver();
    awaitState(txId, "signed");
    assertThat(sessionStates(txId)).containsEntry(old.sessionId(), "aborted").hasSize(2);
  }

  @Test
  void aReplicaThatLostItsClaimAsksNoRoundTwoNorOpensASession() throws Exception {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();

    ClaimedTransaction expired = claimNow(txId);
    Thread.sleep(1_200); // its 1 s lease runs out during a (long) round 1
    StageOutcome outcome = stage(settlement, false).handle(expired);

    assertThat(((StageOutcome.Retry) outcome).note()).isEqualTo("claim lost before round 2");
    assertThat(sessionStates(txId)).isEmpty();
    assertThat(sessionsInEtcd(txId)).isEmpty();

    diesAfterRoundTwo(txId);
    SigningSession open = onlyOpenSession(txId);
    claimNow(txId); // held by another lease now
    SigningSession second =
        new SigningSession(
            UUID.randomUUID(),
            txId,
            open.signers(),
            open.commitments(),
            open.commitmentIds(),
            open.txid(),
            java.time.Instant.now());
    assertThat(sessions.opened(second, expired.leaseToken())).isFalse();
    assertThat(sessionStates(txId)).containsOnlyKeys(open.sessionId());
  }

  @Test
  void aBroadcastWhoseRecordWasLostIsSentAgainAndCountsAsSent() {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    UUID txId = paymentInSigning();
    engine(Duration.ofSeconds(30), TransactionState.SIGNING);
    JsonNode signed = awaitState(txId, "signed");
    String raw = signed.get("chain").get("raw_tx").asText();
    String txid = signed.get("chain").get("txid").asText();
    // the dead replica's send reached the chain; its move to broadcasting was never recorded
    assertThat(CHAIN.client().broadcast(raw)).isEqualTo(txid);

    engine(Duration.ofSeconds(30), TransactionState.SIGNED, TransactionState.BROADCASTING);
    JsonNode confirmed = mineUntilConfirmed(txId);

    assertThat(confirmed.get("chain").get("txid").asText()).isEqualTo(txid);
    List<String> moves = new ArrayList<>();
    confirmed
        .get("history")
        .forEach(h -> moves.add(h.get("from").asText() + "→" + h.get("to").asText()));
    assertThat(moves).containsOnlyOnce("signed→broadcasting", "broadcasting→confirmed");
  }

  // ---------------------------------------------------------------------------------------------

  private void cluster(Mode... modes) {
    for (int i = 0; i < modes.length; i++) {
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      nodes.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
    // node-1..3 score best; a fresh attempt that leaves one out takes node-4 or node-5
    for (int i = 1; i <= 5; i++) {
      REGISTRY.cpuLoad(i, i <= 3 ? 0.0 : 100.0);
    }
  }

  /** A funded 3-of-5 wallet and one payment of it, voted, built and claimable in signing. */
  private UUID paymentInSigning() {
    JsonNode created =
        api.post(
                "/api/v1/wallets",
                SUBMIT_KEY,
                "{\"name\":\"takeover-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
            .body();
    assertThat(created.get("status").asText()).as(created.toString()).isEqualTo("ready");
    CHAIN.fund(created.get("address").asText(), COIN);
    PipelineEngine upToSigning =
        engine(
            Duration.ofSeconds(30),
            TransactionState.PENDING,
            TransactionState.VOTING,
            TransactionState.APPROVED);
    JsonNode body =
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"wallet_id\":\""
                    + created.get("id").asText()
                    + "\",\"recipient\":\""
                    + ADDRESS
                    + "\",\"amount_sats\":42000,\"fee_rate_sat_vb\":2}")
            .body();
    UUID txId = UUID.fromString(body.get("id").asText());
    awaitState(txId, "signing");
    upToSigning.close();
    return txId;
  }

  /**
   * The first replica: claims the payment with a short lease and dies after its round 2, in a
   * session of node-1..3 (the only active nodes while it runs, whatever their latencies).
   */
  private void diesAfterRoundTwo(UUID txId) {
    SigningStage dying = stage(settlement, true);
    ClaimedTransaction claim = claimNow(txId);
    REGISTRY.activeNodes(3);
    try {
      assertThatThrownBy(() -> dying.handle(claim)).isInstanceOf(ReplicaDied.class);
    } finally {
      REGISTRY.activeNodes(5);
    }
    assertThat(get(txId).get("state").asText()).isEqualTo("signing");
    assertThat(onlyOpenSession(txId).signers()).containsExactly("node-1", "node-2", "node-3");
  }

  /** Claims the payment as replica A does, with a 1 s lease, once any earlier lease ran out. */
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

  private SigningStage stage(SessionSettlement settlement, boolean diesAfterRoundTwo) {
    return new SigningStage(
        wallets,
        payments,
        attempts,
        sessions,
        settlement,
        pools,
        registry,
        directory,
        requests,
        latencies,
        signingProperties,
        signingMetrics) {
      @Override
      void roundTwoAnswered(UUID txId, UUID sessionId) {
        if (diesAfterRoundTwo) {
          throw new ReplicaDied();
        }
      }
    };
  }

  /** Another replica: the context's real signing stage, claiming once the dead lease expired. */
  private void takeOver() {
    engine(Duration.ofSeconds(30), TransactionState.SIGNING);
  }

  private PipelineEngine engine(Duration lease, TransactionState... stages) {
    return engine(lease, Duration.ofSeconds(60), stages);
  }

  private PipelineEngine engine(Duration lease, Duration timeout, TransactionState... stages) {
    Set<TransactionState> wanted = Set.of(stages);
    Map<TransactionState, Duration> timeouts = new HashMap<>();
    wanted.forEach(s -> timeouts.put(s, timeout));
    timeouts.keySet().retainAll(PipelineProperties.TIMED_STATES);
    PipelineEngine engine =
        new PipelineEngine(
            "takeover-it-" + engines.size(),
            handlers.stream().filter(h -> wanted.contains(h.stage())).toList(),
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                lease,
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

  private SigningSession onlyOpenSession(UUID txId) {
    List<SigningSession> open = sessions.open(txId);
    assertThat(open).hasSize(1);
    return open.get(0);
  }

  private Map<UUID, String> sessionStates(UUID txId) {
    Map<UUID, String> out = new HashMap<>();
    jdbc.sql("SELECT session_id, state FROM signing_sessions WHERE tx_id = ?")
        .param(txId)
        .query((rs, i) -> out.put(rs.getObject("session_id", UUID.class), rs.getString("state")))
        .list();
    return out;
  }

  /**
   * Every session id with a key in etcd for the payment: the sessions node-1..5 recorded shares in
   * (under each node's prefix) or the orchestrator aborted (under its own).
   */
  private Set<UUID> sessionsInEtcd(UUID txId) {
    List<String> prefixes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      prefixes.add(keys.nodeRecords("node-" + i) + "shares/" + txId + "/");
    }
    prefixes.add(keys.orchestratorRecords() + "aborts/" + txId + "/");
    Set<UUID> out = new HashSet<>();
    try {
      for (String prefix : prefixes) {
        etcd.getKVClient()
            .get(
                ByteSequence.from(prefix, StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).build())
            .get(5, TimeUnit.SECONDS)
            .getKvs()
            .forEach(
                kv ->
                    out.add(
                        UUID.fromString(
                            kv.getKey()
                                .toString(StandardCharsets.UTF_8)
                                .substring(prefix.length()))));
      }
    } catch (Exception e) {
      throw new AssertionError("etcd read failed", e);
    }
    return out;
  }

  /** The signature the session's recorded shares aggregate to, computed here with FROST alone. */
  private byte[] aggregate(UUID txId, SigningSession session, SessionRecord record) {
    BuiltPayment payment = payments.find(txId).orElseThrow();
    Wallet wallet =
        wallets.find(UUID.fromString(get(txId).get("wallet_id").asText())).orElseThrow();
    byte[] message =
        new TaprootSighash(payment.unsigned(), payment.prevouts()).sigHash(0, SighashType.DEFAULT);
    List<SigningCommitments> commitments = new ArrayList<>();
    List<SignatureShare> shares = new ArrayList<>();
    for (String node : session.signers()) {
      commitments.add(
          SigningCommitments.decode(Hex.decode(session.commitments().get(node).get(0))));
      SignShareResponse recorded = ShareRecord.decode(record.shares().get(node)).shares();
      shares.add(SignatureShare.decode(Hex.decode(recorded.shares().get(0))));
    }
    byte[] signature =
        Frost.taproot()
            .aggregate(
                new SigningPackage(message, commitments),
                shares,
                wallet.publicKeyPackage().orElseThrow());
    assertThat(Bip340.verify(message, wallet.outputKey().orElseThrow(), signature)).isTrue();
    return signature;
  }

  private void assertValidSignature(JsonNode tx, UUID txId) {
    BuiltPayment payment = payments.find(txId).orElseThrow();
    Wallet wallet = wallets.find(UUID.fromString(tx.get("wallet_id").asText())).orElseThrow();
    Transaction signed = Transaction.parseHex(tx.get("chain").get("raw_tx").asText());
    byte[] message =
        new TaprootSighash(payment.unsigned(), payment.prevouts()).sigHash(0, SighashType.DEFAULT);
    assertThat(Bip340.verify(message, wallet.outputKey().orElseThrow(), signed.witness(0).item(0)))
        .isTrue();
  }

  private double counter(String name) {
    return meters.counter(name).count();
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

  private JsonNode mineUntilConfirmed(UUID id) {
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
            s -> s.equals("confirmed") || s.equals("failed"));
    return awaitState(id, "confirmed");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
