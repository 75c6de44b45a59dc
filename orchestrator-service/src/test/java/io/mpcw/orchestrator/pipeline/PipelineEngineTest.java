package io.mpcw.orchestrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

class PipelineEngineTest extends OrchestratorTestBase {
  @Autowired WorkClaims claims;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;

  private final List<PipelineEngine> engines = new ArrayList<>();

  @AfterEach
  void stopEngines() {
    engines.forEach(PipelineEngine::close);
  }

  /** Advances pending → voting and records which engine handled which transaction. */
  static final class RecordingStage implements StageHandler {
    final Map<UUID, List<String>> handledBy = new ConcurrentHashMap<>();
    private final String engine;

    RecordingStage(String engine) {
      this.engine = engine;
    }

    @Override
    public TransactionState stage() {
      return TransactionState.PENDING;
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      handledBy.computeIfAbsent(claim.tx().id(), id -> new CopyOnWriteArrayList<>()).add(engine);
      return new StageOutcome.Advance(TransactionState.VOTING, "recorded by " + engine);
    }
  }

  private PipelineEngine engine(String owner, StageHandler handler, PipelineProperties props) {
    PipelineEngine engine =
        new PipelineEngine(owner, List.of(handler), props, claims, transitions, database, metrics);
    engines.add(engine);
    return engine;
  }

  private static PipelineProperties props(Duration lease, Map<String, Duration> timeouts) {
    return new PipelineProperties(
        Duration.ofMillis(20),
        8,
        lease,
        Duration.ofMillis(100),
        Duration.ofMillis(50),
        timeouts,
        "");
  }

  private List<UUID> submit(int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          UUID.fromString(
              api.post(
                      "/api/v1/transactions",
                      SUBMIT_KEY,
                      "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + (1000 + i) + "}")
                  .body()
                  .get("id")
                  .asText()));
    }
    return ids;
  }

  private long transitions(UUID id, String from, String to) {
    return jdbc.sql(
            "SELECT count(*) FROM transaction_history WHERE tx_id = ? AND from_state = ? AND to_state = ?")
        .params(id, from, to)
        .query(Long.class)
        .single();
  }

  private String state(UUID id) {
    return jdbc.sql("SELECT state FROM transactions WHERE id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  @Test
  void twoEnginesOnOneDatabaseClaimDisjointWorkAndApplyEachTransitionOnce() {
    List<UUID> ids = submit(40);
    RecordingStage a = new RecordingStage("a");
    RecordingStage b = new RecordingStage("b");
    PipelineProperties props = props(Duration.ofSeconds(30), Map.of());
    engine("engine-a", a, props).start();
    engine("engine-b", b, props).start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("voting")));

    Set<UUID> both = new java.util.HashSet<>(a.handledBy.keySet());
    both.retainAll(b.handledBy.keySet());
    assertThat(both).as("transactions handled by both engines").isEmpty();
    assertThat(a.handledBy.size() + b.handledBy.size()).isEqualTo(40);
    a.handledBy.values().forEach(list -> assertThat(list).hasSize(1));
    b.handledBy.values().forEach(list -> assertThat(list).hasSize(1));
    for (UUID id : ids) {
      assertThat(transitions(id, "pending", "voting")).isEqualTo(1);
    }
  }

  @Test
  void leasedWorkOfADeadEngineIsTakenOverAfterExpiryAndItsLateResultIsDiscarded() throws Exception {
    UUID id = submit(1).get(0);
    // the "dead" engine claims the work and then never reports back
    List<ClaimedTransaction> deadClaims =
        claims.claim(TransactionState.PENDING, 10, Duration.ofSeconds(2), "dead-engine");
    assertThat(deadClaims).hasSize(1);

    RecordingStage survivor = new RecordingStage("survivor");
    PipelineEngine engine = engine("survivor", survivor, props(Duration.ofSeconds(30), Map.of()));
    engine.start();
    Thread.sleep(500);
    assertThat(survivor.handledBy).as("lease still held by the dead engine").isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("voting"));
    assertThat(survivor.handledBy.get(id)).hasSize(1);

    // the dead engine wakes up and tries to apply its stale outcome: refused
    PipelineEngine zombie =
        engine("dead-engine", new RecordingStage("dead"), props(Duration.ofSeconds(2), Map.of()));
    zombie.process(deadClaims.get(0));
    assertThat(transitions(id, "pending", "voting")).isEqualTo(1);
    assertThat(state(id)).isEqualTo("voting");
  }

  @Test
  void aStageThatOutlivesItsTimeoutFailsWithTheReasonRecorded() {
    UUID id = submit(1).get(0);
    StageHandler neverDone =
        new StageHandler() {
          @Override
          public TransactionState stage() {
            return TransactionState.PENDING;
          }

          @Override
          public StageOutcome handle(ClaimedTransaction claim) {
            return new StageOutcome.Retry(Duration.ofMillis(50), "not yet");
          }
        };
    engine(
            "timer",
            neverDone,
            props(Duration.ofSeconds(30), Map.of("pending", Duration.ofSeconds(1))))
        .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("failed"));
    String reason =
        jdbc.sql("SELECT reason FROM transaction_history WHERE tx_id = ? AND to_state = 'failed'")
            .param(id)
            .query(String.class)
            .single();
    assertThat(reason).isEqualTo("pending timed out after 1 s");
  }

  @Test
  void aCancelWhileAStageRunsWinsAndTheStageResultIsDiscarded() {
    UUID id = submit(1).get(0);
    ClaimedTransaction claim =
        claims.claim(TransactionState.PENDING, 1, Duration.ofSeconds(30), "slow").get(0);
    assertThat(api.post("/api/v1/transactions/" + id + "/cancel", SUBMIT_KEY, "").status())
        .isEqualTo(200);

    engine("slow", new RecordingStage("slow"), props(Duration.ofSeconds(30), Map.of()))
        .process(claim);

    assertThat(state(id)).isEqualTo("cancelled");
    assertThat(transitions(id, "pending", "voting")).isZero();
  }

  @Test
  void aHandlerExceptionIsRetriedNotFatal() {
    UUID id = submit(1).get(0);
    StageHandler flaky =
        new StageHandler() {
          private int calls;

          @Override
          public TransactionState stage() {
            return TransactionState.PENDING;
          }

          @Override
          public synchronized StageOutcome handle(ClaimedTransaction claim) {
            if (calls++ < 2) {
              throw new IllegalStateException("transient");
            }
            return new StageOutcome.Advance(TransactionState.VOTING, "third time lucky");
          }
        };
    engine("flaky", flaky, props(Duration.ofSeconds(30), Map.of())).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("voting"));
    assertThat(transitions(id, "pending", "voting")).isEqualTo(1);
  }

  @Test
  void historyIsAppendOnly() {
    UUID id = submit(1).get(0);
    var update =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                jdbc.sql("UPDATE transaction_history SET reason = 'rewritten' WHERE tx_id = ?")
                    .param(id)
                    .update());
    assertThat(update).hasMessageContaining("append-only");
    assertThat(Optional.ofNullable(update)).isPresent();
  }
}
