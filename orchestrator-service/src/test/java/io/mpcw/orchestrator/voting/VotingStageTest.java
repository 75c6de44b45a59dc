package io.mpcw.orchestrator.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.support.TestNode;
import io.mpcw.orchestrator.support.TestNode.Mode;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The voting stage against five QUIC peers with the cluster's real certificates, signed votes in
 * real etcd, and the Byzantine fault modes.
 */
class VotingStageTest extends OrchestratorTestBase {
  @Autowired OpenVotingRoundStage openRound;
  @Autowired CollectVotesStage collectVotes;
  @Autowired WorkClaims claims;
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired EtcdKeys keys;
  @Autowired Client etcd;

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  /** Starts node-1..5 with the given modes (null = down) and the engine. */
  private void cluster(Mode... modes) {
    cluster(Duration.ofSeconds(4), modes);
  }

  private void cluster(Duration votingTimeout, Mode... modes) {
    for (int i = 0; i < modes.length; i++) {
      if (modes[i] == null) {
        continue;
      }
      TestNode node = new TestNode("node-" + (i + 1), CLUSTER, modes[i]);
      running.add(node);
      REGISTRY.quicAddress(i + 1, node.start());
    }
    PipelineEngine engine =
        new PipelineEngine(
            "voting-it",
            List.of(openRound, collectVotes),
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Map.of(io.mpcw.types.transaction.TransactionState.VOTING, votingTimeout),
                ""),
            claims,
            transitions,
            database,
            metrics,
            workSignals);
    running.add(engine);
    engine.start();
  }

  private void closeNode(int index) {
    try {
      running.get(index).close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String submit(long amount) {
    return api.post(
            "/api/v1/transactions",
            SUBMIT_KEY,
            "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + amount + "}")
        .body()
        .get("id")
        .asText();
  }

  private JsonNode view(String id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  private JsonNode awaitState(String id, String state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> view(id).get("state").asText().equals(state));
    return view(id);
  }

  /** Vote keys of node-1..5 on the payment, each under its node's prefix. */
  private long etcdVotes(String id) throws Exception {
    long votes = 0;
    for (int i = 1; i <= 5; i++) {
      votes +=
          etcd.getKVClient()
              .get(
                  ByteSequence.from(
                      keys.vote(UUID.fromString(id), "node-" + i), StandardCharsets.UTF_8),
                  GetOption.builder().withCountOnly(true).build())
              .get()
              .getCount();
    }
    return votes;
  }

  private String etcdDecision(String id) throws Exception {
    var kvs =
        etcd.getKVClient()
            .get(ByteSequence.from(keys.decision(UUID.fromString(id)), StandardCharsets.UTF_8))
            .get()
            .getKvs();
    return kvs.isEmpty() ? "" : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  @Test
  void fiveHonestNodesApproveWithSignedVotesInEtcdAndInTheApi() throws Exception {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    String id = submit(10_000);

    JsonNode tx = awaitState(id, "approved");

    JsonNode voting = tx.get("voting");
    assertThat(voting.get("approvals").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(voting.get("votes").findValuesAsText("decision")).containsOnly("approve");
    assertThat(voting.get("votes").get(0).get("digest").asText()).hasSize(64);
    assertThat(etcdVotes(id)).isGreaterThanOrEqualTo(4);
    assertThat(etcdDecision(id)).isEqualTo("approved");
    // the answers counted were written with the decision; a straggler's is written when it comes
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> view(id).get("voting").get("votes").size() == 5);
  }

  @Test
  void aPaymentAboveTheNodesLimitIsRejectedWithTheirReasons() throws Exception {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    String id = submit(100_000_001);

    JsonNode tx = awaitState(id, "rejected");

    assertThat(tx.get("voting").get("rejections").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(tx.get("voting").get("votes").findValuesAsText("reason"))
        .anyMatch(r -> r.contains("limit of 100000000"));
    assertThat(etcdDecision(id)).isEqualTo("rejected");
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"REJECT_ALL", "WRONG_DIGEST", "BAD_SIGNATURE", "EQUIVOCATE", "SILENT"})
  void oneByzantineNodeOfFiveStillGetsTheRightDecision(Mode mode) {
    cluster(mode, Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    String id = submit(10_000);

    JsonNode tx = awaitState(id, "approved");

    JsonNode faulty = null;
    for (JsonNode vote : tx.get("voting").get("votes")) {
      if (vote.get("node_id").asText().equals("node-1")) {
        faulty = vote;
      }
    }
    switch (mode) {
      case WRONG_DIGEST, BAD_SIGNATURE, EQUIVOCATE ->
          assertThat(faulty.get("evidence").asText()).isNotBlank();
      case REJECT_ALL -> assertThat(faulty.get("decision").asText()).isEqualTo("reject");
      default -> assertThat(faulty).isNull();
    }
  }

  @Test
  void twoByzantineNodesOfFiveAbort() throws Exception {
    cluster(Mode.BAD_SIGNATURE, Mode.WRONG_DIGEST, Mode.HONEST, Mode.HONEST, Mode.HONEST);
    String id = submit(10_000);

    JsonNode tx = awaitState(id, "aborted_byzantine");

    assertThat(tx.get("voting").get("votes").findValuesAsText("evidence"))
        .filteredOn(e -> e != null && !e.equals("null") && !e.isBlank())
        .hasSize(2);
    assertThat(etcdDecision(id)).isEqualTo("aborted_byzantine");
  }

  @Test
  void oneNodeDownIsApprovedByFourAndTwoDownFailAtTheTimeout() throws Exception {
    cluster(Mode.HONEST, Mode.HONEST, Mode.HONEST, Mode.HONEST, null);
    String approved = submit(10_000);
    assertThat(awaitState(approved, "approved").get("voting").get("approvals").asInt())
        .isEqualTo(4);

    closeNode(3);
    String stalled = submit(10_001);
    JsonNode failed = awaitState(stalled, "failed");
    assertThat(failed.get("state_reason").asText()).isEqualTo("voting timed out after 4 s");
    assertThat(failed.get("voting").get("approvals").asInt()).isEqualTo(3);
    // the end is etcd's decision too: it fences any later vote on the failed payment
    assertThat(etcdDecision(stalled)).isEqualTo("failed");
  }

  /**
   * A payment in voting with 3 of the 4 approvals it needs: node-4 and node-5 are down, so nothing
   * decides it before {@code votingTimeout}.
   */
  private String stalledAtThreeApprovals(Duration votingTimeout) {
    cluster(votingTimeout, Mode.HONEST, Mode.HONEST, Mode.HONEST, null, null);
    String id = submit(10_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> etcdVotes(id) == 3);
    return id;
  }

  /** As written by a replica that decided and died before it applied the decision. */
  private void decidedByADeadReplica(String id, String decision) throws Exception {
    etcd.getKVClient()
        .put(
            ByteSequence.from(keys.decision(UUID.fromString(id)), StandardCharsets.UTF_8),
            ByteSequence.from(decision, StandardCharsets.UTF_8))
        .get();
  }

  @Test
  void aDecisionAlreadyStandingInEtcdIsAppliedAtTheTimeoutInsteadOfFailing() throws Exception {
    String id = stalledAtThreeApprovals(Duration.ofSeconds(4));
    decidedByADeadReplica(id, "rejected");

    JsonNode tx = awaitState(id, "rejected");

    assertThat(tx.get("state_reason").asText()).isEqualTo("decided earlier: rejected");
    assertThat(etcdDecision(id)).isEqualTo("rejected");
  }

  @Test
  void cancellingAPaymentInVotingEndsItsVoteInEtcdFirst() throws Exception {
    String id = stalledAtThreeApprovals(Duration.ofMinutes(2));

    var cancelled = api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("state").asText()).isEqualTo("cancelled");
    // the decision key fences the votes of the two nodes still to come
    assertThat(etcdDecision(id)).isEqualTo("cancelled");
  }

  @Test
  void aCancelIsRefusedWhenTheVoteWasAlreadyDecidedInEtcd() throws Exception {
    String id = stalledAtThreeApprovals(Duration.ofMinutes(2));
    decidedByADeadReplica(id, "rejected");

    var refused = api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "");

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("detail").asText()).contains("already decided (rejected)");
    assertThat(view(id).get("state").asText()).isEqualTo("voting");
    assertThat(etcdDecision(id)).isEqualTo("rejected");
  }
}
