package io.mpcw.orchestrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.pipeline.PipelineEngineHandOverTest.CountingClaims;
import io.mpcw.orchestrator.pipeline.PipelineEngineHandOverTest.Move;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.transaction.TransactionRepository;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.types.transaction.TransactionState;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A stage whose work on a transaction entering its state needs only the database does it inside the
 * move that enters the state: both moves commit together, the history shows both, and the stage's
 * own claim never happens. When that work fails, the move stops in the state as before.
 */
class PipelineEnginePassThroughTest extends OrchestratorTestBase {
  @Autowired WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired TransactionRepository repository;
  @Autowired NewPaymentPlaces newPayments;

  private final List<PipelineEngine> engines = new ArrayList<>();

  @AfterEach
  void stopEngines() {
    engines.forEach(newPayments::stopServing);
    engines.forEach(PipelineEngine::close);
  }

  /**
   * {@code pending → voting}: the same move on entry and in its stage, writing and handing over.
   */
  static final class Opening implements StageHandler {
    final Map<UUID, ClaimedTransaction> handled = new ConcurrentHashMap<>();

    @Override
    public TransactionState stage() {
      return TransactionState.PENDING;
    }

    @Override
    public Optional<StageOutcome.AdvanceWith> onEntry(TransactionRecord entering) {
      return Optional.of(
          new StageOutcome.AdvanceWith(
              TransactionState.VOTING,
              row -> {
                row.set("fee_sats", 11L).handOver("opened " + entering.id());
                return "opened on entry";
              }));
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      handled.put(claim.tx().id(), claim);
      return new StageOutcome.Advance(TransactionState.VOTING, "opened by its stage");
    }
  }

  /** {@code voting → approved}, writing a column and counting how often its effect ran. */
  static final class Voting implements StageHandler {
    final Map<UUID, AtomicInteger> effectRuns = new ConcurrentHashMap<>();

    @Override
    public TransactionState stage() {
      return TransactionState.VOTING;
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      UUID id = claim.tx().id();
      return new StageOutcome.Advance(
              TransactionState.APPROVED,
              "approved by test",
              () -> effectRuns.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet())
          .setting(row -> row.set("fee_sats", 7L));
    }
  }

  /**
   * {@code approved → signing}: the same work on entry and in its stage, writing a column and
   * handing it over; on entry it fails while {@code failOnEntry} says so.
   */
  static final class Building implements StageHandler {
    final boolean failOnEntry;
    final Map<UUID, ClaimedTransaction> handled = new ConcurrentHashMap<>();

    Building(boolean failOnEntry) {
      this.failOnEntry = failOnEntry;
    }

    @Override
    public TransactionState stage() {
      return TransactionState.APPROVED;
    }

    @Override
    public Optional<StageOutcome.AdvanceWith> onEntry(TransactionRecord entering) {
      return Optional.of(work(entering, failOnEntry, "built on entry"));
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      handled.put(claim.tx().id(), claim);
      return work(claim.tx(), false, "built by its stage");
    }

    private static StageOutcome.AdvanceWith work(
        TransactionRecord tx, boolean fail, String reason) {
      return new StageOutcome.AdvanceWith(
          TransactionState.SIGNING,
          row -> {
            if (fail) {
              throw new IllegalStateException("nothing to take");
            }
            row.set("change_sats", 5L).handOver("built " + tx.id());
            return reason;
          });
    }
  }

  private PipelineEngine started(CountingClaims claims, StageHandler... handlers) {
    return started(claims, 4, handlers);
  }

  private PipelineEngine started(
      CountingClaims claims, int workersPerStage, StageHandler... handlers) {
    PipelineEngine engine =
        new PipelineEngine(
            "through",
            List.of(handlers),
            // polls so rarely that only the start-up poll runs: wake-ups and hand-overs move work
            PipelineEngineHandOverTest.props(
                Duration.ofMinutes(10),
                workersPerStage,
                Duration.ofSeconds(30),
                Duration.ofMinutes(10)),
            claims,
            transitions,
            database,
            metrics,
            workSignals);
    engines.add(engine);
    engine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() == 1);
    return engine;
  }

  private List<UUID> submit(int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.fromString(submitted(3000 + i).get("id").asText()));
    }
    return ids;
  }

  /** The 201's body. */
  private com.fasterxml.jackson.databind.JsonNode submitted(long amount) {
    var created =
        api.post(
            "/api/v1/transactions",
            SUBMIT_KEY,
            "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + amount + "}");
    assertThat(created.status()).isEqualTo(201);
    return created.body();
  }

  private record Moved(String from, String to, String reason, Timestamp at) {}

  /** The moves out of {@code pending}, in order (the creation's own row left out). */
  private List<Moved> history(UUID id) {
    return jdbc.sql(
            "SELECT from_state, to_state, reason, at FROM transaction_history WHERE tx_id = ?"
                + " AND from_state IS NOT NULL ORDER BY id")
        .param(id)
        .query(
            (rs, n) ->
                new Moved(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4)))
        .list();
  }

  private long column(UUID id, String column) {
    return jdbc.sql("SELECT " + column + " FROM transactions WHERE id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  @Test
  void aStageWhoseWorkNeedsOnlyTheDatabaseIsPassedThroughInTheMoveThatEntersIt() {
    CountingClaims claims = new CountingClaims(jdbc);
    Voting voting = new Voting();
    Building building = new Building(false);
    Move signing = new Move(TransactionState.SIGNING, TransactionState.SIGNED);
    started(
        claims,
        new Move(TransactionState.PENDING, TransactionState.VOTING),
        voting,
        building,
        signing);

    List<UUID> ids = submit(3);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("signed")));
    assertThat(building.handled).as("the approved stage's own attempts").isEmpty();
    assertThat(claims.claimedInStatement(TransactionState.APPROVED))
        .doesNotContainAnyElementsOf(ids);
    for (UUID id : ids) {
      List<Moved> history = history(id);
      assertThat(history)
          .extracting(m -> m.from() + "→" + m.to())
          .containsExactly(
              "pending→voting", "voting→approved", "approved→signing", "signing→signed");
      assertThat(history.get(1).reason()).isEqualTo("approved by test");
      assertThat(history.get(2).reason()).isEqualTo("built on entry");
      assertThat(history.get(2).at()).as("one move, one clock").isEqualTo(history.get(1).at());
      // both moves' columns, written by one UPDATE, and the effect of the first run once
      assertThat(column(id, "fee_sats")).isEqualTo(7);
      assertThat(column(id, "change_sats")).isEqualTo(5);
      assertThat(voting.effectRuns.get(id)).hasValue(1);
      // the signing stage starts on the claim the move took, with what the work on entry wrote
      ClaimedTransaction claim = signing.handled.get(id);
      assertThat(claim.handedOver(String.class)).contains("built " + id);
      assertThat(claim.tx().state()).isEqualTo(TransactionState.SIGNING);
      assertThat(claim.tx().stageAttempts()).isEqualTo(1);
    }
  }

  @Test
  void whenTheWorkOnEntryFailsTheMoveStopsInTheStateAndItsStageTakesOver() {
    Voting voting = new Voting();
    Building building = new Building(true);
    started(
        new CountingClaims(jdbc),
        new Move(TransactionState.PENDING, TransactionState.VOTING),
        voting,
        building,
        new Move(TransactionState.SIGNING, TransactionState.SIGNED));

    List<UUID> ids = submit(2);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("signed")));
    for (UUID id : ids) {
      assertThat(building.handled).containsKey(id);
      assertThat(history(id))
          .extracting(m -> m.from() + "→" + m.to() + ": " + m.reason())
          .containsExactly(
              "pending→voting: moved by test",
              "voting→approved: approved by test",
              "approved→signing: built by its stage",
              "signing→signed: moved by test");
      // the rolled-back attempt left nothing; the plain move ran the first effect once
      assertThat(voting.effectRuns.get(id)).hasValue(1);
      assertThat(column(id, "fee_sats")).isEqualTo(7);
    }
  }

  @Test
  void anOnwardMoveTheTransitionTableForbidsOrIntoATerminalStateWritesNothing() {
    UUID id = submit(1).get(0);
    jdbc.sql("UPDATE transactions SET state = 'voting' WHERE id = ?").param(id).update();
    TransactionRecord voting = repository.find(id).orElseThrow();

    for (StateTransitions.Onward onward :
        List.of(
            new StateTransitions.Onward(TransactionState.VOTING, "back"),
            new StateTransitions.Onward(TransactionState.SIGNED, "skipping signing"),
            new StateTransitions.Onward(TransactionState.FAILED, "terminal"))) {
      assertThatThrownBy(
              () ->
                  database.execute(
                      status ->
                          transitions.apply(
                              voting,
                              TransactionState.APPROVED,
                              "approved",
                              "test",
                              Optional.empty(),
                              Optional.empty(),
                              Duration.ZERO,
                              new RowChange(),
                              Optional.of(onward))))
          .as("onward to %s", onward.to())
          .isInstanceOf(RuntimeException.class);
    }
    assertThat(state(id)).isEqualTo("voting");
    assertThat(history(id)).isEmpty();
  }

  @Test
  void aNewPaymentPassesThroughPendingInTheApisOwnTransactionWhenVotingHasRoom() {
    CountingClaims claims = new CountingClaims(jdbc);
    Opening opening = new Opening();
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED);
    newPayments.serveFrom(started(claims, opening, voting));

    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      var body = submitted(5000 + i);
      assertThat(body.get("state").asText()).as("the 201 shows where it is").isEqualTo("voting");
      ids.add(UUID.fromString(body.get("id").asText()));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
    assertThat(opening.handled).as("the pending stage's own attempts").isEmpty();
    assertThat(claims.claimedInStatement(TransactionState.PENDING))
        .doesNotContainAnyElementsOf(ids);
    assertThat(claims.claimedInStatement(TransactionState.VOTING)).doesNotContainAnyElementsOf(ids);
    for (UUID id : ids) {
      assertThat(history(id))
          .extracting(m -> m.from() + "→" + m.to() + ": " + m.reason())
          .containsExactly("pending→voting: opened on entry", "voting→approved: moved by test");
      assertThat(column(id, "fee_sats")).isEqualTo(11);
      ClaimedTransaction claim = voting.handled.get(id);
      assertThat(claim.handedOver(String.class)).contains("opened " + id);
      assertThat(claim.tx().stageAttempts()).isEqualTo(1);
    }
  }

  @Test
  void aNewPaymentWaitsInPendingWhileVotingHasNoRoom() {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    Opening opening = new Opening();
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED, gate);
    newPayments.serveFrom(started(new CountingClaims(jdbc), 1, opening, voting));
    // the first takes voting's only worker
    UUID first = UUID.fromString(submitted(6000).get("id").asText());
    await().atMost(Duration.ofSeconds(30)).until(() -> voting.handled.containsKey(first));

    var second = submitted(6001);

    assertThat(second.get("state").asText()).isEqualTo("pending");
    UUID id = UUID.fromString(second.get("id").asText());
    gate.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("approved"));
    assertThat(opening.handled).containsKey(id).doesNotContainKey(first);
    assertThat(history(id))
        .extracting(m -> m.from() + "→" + m.to() + ": " + m.reason())
        .containsExactly("pending→voting: opened by its stage", "voting→approved: moved by test");
  }
}
