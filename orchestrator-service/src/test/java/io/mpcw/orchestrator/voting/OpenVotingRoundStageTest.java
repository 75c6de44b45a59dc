package io.mpcw.orchestrator.voting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngine;
import io.mpcw.orchestrator.pipeline.WorkClaims;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.transaction.StateTransitions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class OpenVotingRoundStageTest extends OrchestratorTestBase {
  @Autowired OpenVotingRoundStage stage;
  @Autowired CollectVotesStage collectVotes;
  @Autowired WorkClaims claims;
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired VotingRounds rounds;

  private PipelineEngine engine(io.mpcw.orchestrator.pipeline.StageHandler... more) {
    List<io.mpcw.orchestrator.pipeline.StageHandler> handlers = new java.util.ArrayList<>();
    handlers.add(stage);
    handlers.addAll(List.of(more));
    return new PipelineEngine(
        "voting-test",
        handlers,
        new PipelineProperties(
            Duration.ofMillis(20),
            8,
            8,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofMillis(50),
            Map.of(io.mpcw.types.transaction.TransactionState.VOTING, Duration.ofSeconds(2)),
            ""),
        claims,
        transitions,
        database,
        metrics,
        workSignals);
  }

  private String submit() {
    return api.post(
            "/api/v1/transactions",
            SUBMIT_KEY,
            "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":10000}")
        .body()
        .get("id")
        .asText();
  }

  private JsonNode get(String id) {
    return api.get("/api/v1/transactions/" + id, READ_KEY).body();
  }

  @Test
  void pendingMovesToVotingWithARoundOfFiveNodesAndThresholdFourThenTimesOutToFailed() {
    String id = submit();
    // the voting stage's own engine enforces its timeout (no node answers here)
    try (PipelineEngine engine = engine(collectVotes)) {
      engine.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(id).get("state").asText().equals("voting"));

      JsonNode voting = get(id).get("voting");
      assertThat(voting.get("threshold").asInt()).isEqualTo(4);
      assertThat(voting.get("total_nodes").asInt()).isEqualTo(5);
      assertThat(voting.get("approvals").asInt()).isZero();
      List<String> asked =
          jdbc.sql("SELECT unnest(nodes) FROM voting_rounds WHERE tx_id = ?::uuid")
              .param(id)
              .query(String.class)
              .list();
      assertThat(asked).containsExactly("node-1", "node-2", "node-3", "node-4", "node-5");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(id).get("state").asText().equals("failed"));
      JsonNode history = get(id).get("history");
      assertThat(history.get(history.size() - 1).get("reason").asText())
          .isEqualTo("voting timed out after 2 s");
    }
  }

  @Test
  void openingARoundReturnsItAndOpeningItAgainKeepsTheFirstAndReturnsNothing() {
    UUID id = UUID.fromString(submit());
    List<String> five = List.of("node-1", "node-2", "node-3", "node-4", "node-5");

    Optional<VotingRound> opened = rounds.open(id, 4, 5, 1, five, Duration.ofSeconds(30));

    // what the voting stage is handed is what it would read back
    assertThat(opened).isPresent();
    assertThat(opened).isEqualTo(rounds.find(id));
    assertThat(opened.get().nodes()).isEqualTo(five);
    // a round that exists already (another replica's move got there first) is kept, and nothing
    // is handed over: the stage reads the round that stands
    assertThat(rounds.open(id, 3, 4, 1, List.of("node-1"), Duration.ofSeconds(1))).isEmpty();
    assertThat(rounds.find(id).orElseThrow().threshold()).isEqualTo(4);
  }

  @Test
  void aServiceIdentityTheRegistryListsAsANodeIsNotInTheRound() {
    REGISTRY.listsOrchestratorAsNode(true);
    String id = submit();
    try (PipelineEngine engine = engine()) {
      engine.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(id).get("state").asText().equals("voting"));
    }

    List<String> asked =
        jdbc.sql("SELECT unnest(nodes) FROM voting_rounds WHERE tx_id = ?::uuid")
            .param(id)
            .query(String.class)
            .list();
    assertThat(asked).containsExactly("node-1", "node-2", "node-3", "node-4", "node-5");
  }

  @Test
  void staysPendingWhileFewerThanThresholdNodesAreActive() throws Exception {
    REGISTRY.activeNodes(3);
    String id = submit();
    try (PipelineEngine engine = engine()) {
      engine.start();
      Thread.sleep(1500);
      assertThat(get(id).get("state").asText()).isEqualTo("pending");
      assertThat(count("voting_rounds")).isZero();

      REGISTRY.activeNodes(4);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(id).get("state").asText().equals("voting"));
    }
  }

  @Test
  void usesTheLastKnownMembershipWhenTheRegistryIsDown() {
    api.get("/api/v1/cluster/nodes", READ_KEY);
    REGISTRY.up(false);
    String id = submit();
    try (PipelineEngine engine = engine()) {
      engine.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(id).get("state").asText().equals("voting"));
    }
    var proxied = api.get("/api/v1/cluster/nodes", READ_KEY);
    assertThat(proxied.status()).isEqualTo(200);
    assertThat(proxied.headers().get("x-mpcw-membership-stale")).containsExactly("true");
  }
}
