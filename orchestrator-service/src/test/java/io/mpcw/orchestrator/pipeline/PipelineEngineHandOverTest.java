package io.mpcw.orchestrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A move into a stage this engine has room for takes that stage's claim in the same UPDATE, and the
 * claim is then exactly like one the dispatcher took: leased, taken over once the lease expires,
 * and its result refused once the lease is someone else's.
 */
class PipelineEngineHandOverTest extends OrchestratorTestBase {
  @Autowired WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired MeterRegistry meters;
  @Autowired NewPaymentPlaces newPayments;

  private final List<PipelineEngine> engines = new ArrayList<>();

  @AfterEach
  void stopEngines() {
    engines.forEach(newPayments::stopServing);
    engines.forEach(PipelineEngine::close);
  }

  /** The real claims, recording which payments each claim statement took in which state. */
  static final class CountingClaims extends WorkClaims {
    final Map<TransactionState, Set<UUID>> claimed = new ConcurrentHashMap<>();

    CountingClaims(JdbcClient jdbc) {
      super(jdbc);
    }

    @Override
    public List<ClaimedTransaction> claim(
        TransactionState state, int limit, Duration lease, String owner) {
      List<ClaimedTransaction> taken = super.claim(state, limit, lease, owner);
      taken.forEach(c -> claimedInStatement(state).add(c.tx().id()));
      return taken;
    }

    Set<UUID> claimedInStatement(TransactionState state) {
      return claimed.computeIfAbsent(state, s -> ConcurrentHashMap.newKeySet());
    }
  }

  /** Moves {@code from → to} once {@code gate} opens, recording the claims it was handed. */
  static final class Move implements StageHandler {
    final TransactionState from;
    final TransactionState to;
    final CountDownLatch gate;
    final Map<UUID, ClaimedTransaction> handled = new ConcurrentHashMap<>();

    Move(TransactionState from, TransactionState to, CountDownLatch gate) {
      this.from = from;
      this.to = to;
      this.gate = gate;
    }

    Move(TransactionState from, TransactionState to) {
      this(from, to, new CountDownLatch(0));
    }

    @Override
    public TransactionState stage() {
      return from;
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      handled.put(claim.tx().id(), claim);
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StageOutcome.Retry(Duration.ofMillis(50), "interrupted");
      }
      return new StageOutcome.Advance(to, "moved by test");
    }
  }

  /**
   * A voting stage that waits on the nodes: for ever ({@link #neverAnswered}, the engine holding
   * the claim is dead as far as it goes) or briefly on its own timer ({@link #answeredLater},
   * finishing it takes the engine's dispatcher).
   */
  static final class AwaitedVoting implements StageHandler {
    final Map<UUID, ClaimedTransaction> waiting = new ConcurrentHashMap<>();
    private final java.util.function.Supplier<CompletableFuture<Void>> answer;
    private final boolean answers;

    private AwaitedVoting(
        java.util.function.Supplier<CompletableFuture<Void>> answer, boolean answers) {
      this.answer = answer;
      this.answers = answers;
    }

    static AwaitedVoting neverAnswered() {
      return new AwaitedVoting(CompletableFuture::new, false);
    }

    static AwaitedVoting answeredLater() {
      return new AwaitedVoting(
          () ->
              CompletableFuture.runAsync(
                  () -> {},
                  CompletableFuture.delayedExecutor(
                      200, java.util.concurrent.TimeUnit.MILLISECONDS)),
          true);
    }

    @Override
    public TransactionState stage() {
      return TransactionState.VOTING;
    }

    @Override
    public Optional<CompletionStage<?>> awaitFirst(ClaimedTransaction claim) {
      waiting.put(claim.tx().id(), claim);
      return Optional.of(answer.get());
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      if (!answers) {
        throw new AssertionError("the wait never ends");
      }
      return new StageOutcome.Advance(TransactionState.APPROVED, "answered");
    }
  }

  private PipelineEngine engine(
      String owner, WorkClaims claims, PipelineProperties props, StageHandler... handlers) {
    PipelineEngine engine =
        new PipelineEngine(
            owner, List.of(handlers), props, claims, transitions, database, metrics, workSignals);
    engines.add(engine);
    return engine;
  }

  static PipelineProperties props(
      Duration poll, int workersPerStage, Duration lease, Duration sweep) {
    return new PipelineProperties(
        poll, workersPerStage, workersPerStage, lease, sweep, Duration.ofMillis(50), Map.of(), "");
  }

  private List<UUID> submit(int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          UUID.fromString(
              api.post(
                      "/api/v1/transactions",
                      SUBMIT_KEY,
                      "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + (2000 + i) + "}")
                  .body()
                  .get("id")
                  .asText()));
    }
    return ids;
  }

  private UUID submitWithKey(String key, long amount) {
    return UUID.fromString(
        api.post(
                "/api/v1/transactions",
                SUBMIT_KEY,
                "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + amount + "}",
                "Idempotency-Key",
                key)
            .body()
            .get("id")
            .asText());
  }

  private Optional<String> leaseOwner(UUID id) {
    return jdbc.sql("SELECT lease_owner FROM transactions WHERE id = ?")
        .param(id)
        .query(String.class)
        .optional();
  }

  private int stageAttempts(UUID id) {
    return jdbc.sql("SELECT stage_attempts FROM transactions WHERE id = ?")
        .param(id)
        .query(Integer.class)
        .single();
  }

  private long transitions(UUID id, String from, String to) {
    return jdbc.sql(
            "SELECT count(*) FROM transaction_history WHERE tx_id = ? AND from_state = ?"
                + " AND to_state = ?")
        .params(id, from, to)
        .query(Long.class)
        .single();
  }

  private double counter(String name, String... tags) {
    Counter c = meters.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /** A started engine, past its start-up poll, that the API offers new payments to. */
  private PipelineEngine servingNewPayments(
      String owner, WorkClaims claims, int workersPerStage, StageHandler... handlers) {
    PipelineEngine engine =
        engine(
            owner,
            claims,
            props(
                Duration.ofMinutes(10),
                workersPerStage,
                Duration.ofSeconds(30),
                Duration.ofMinutes(10)),
            handlers);
    engine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() == 1);
    newPayments.serveFrom(engine);
    return engine;
  }

  @Test
  void aPaymentSubmittedWhileThePendingStageHasRoomStartsThereWithoutAClaimStatement() {
    CountingClaims claims = new CountingClaims(jdbc);
    Move pending = new Move(TransactionState.PENDING, TransactionState.VOTING);
    servingNewPayments(
        "new-payment",
        claims,
        4,
        pending,
        new Move(TransactionState.VOTING, TransactionState.APPROVED));
    double handedOver =
        counter("orchestration_claims_total", "stage", "pending", "how", "handed_over");

    List<UUID> ids = submit(3);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
    assertThat(claims.claimedInStatement(TransactionState.PENDING))
        .as("pending claims taken by a claim statement")
        .doesNotContainAnyElementsOf(ids);
    for (UUID id : ids) {
      ClaimedTransaction claim = pending.handled.get(id);
      // stored as a claim like any: its own token, the first in the state, counted from creation
      assertThat(claim.leaseToken()).startsWith("new-payment#");
      assertThat(claim.tx().stageAttempts()).isEqualTo(1);
      assertThat(claim.workStartedAt()).isEqualTo(claim.tx().createdAt());
      assertThat(transitions(id, "pending", "voting")).isEqualTo(1);
    }
    assertThat(counter("orchestration_claims_total", "stage", "pending", "how", "handed_over"))
        .isEqualTo(handedOver + 3);
  }

  @Test
  void aNewPaymentWaitsUnclaimedWhileALaterStageHasNoWorkerForItsWork() {
    CountingClaims claims = new CountingClaims(jdbc);
    CountDownLatch votingGate = new CountDownLatch(1);
    Move pending = new Move(TransactionState.PENDING, TransactionState.VOTING);
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED, votingGate);
    PipelineEngine engine = servingNewPayments("behind", claims, 1, pending, voting);
    // the first takes voting's only worker, the second then waits in voting for it
    UUID first = submit(1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> voting.handled.containsKey(first));
    UUID second = submit(1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> state(second).equals("voting"));
    await().atMost(Duration.ofSeconds(30)).until(engine::backlogAhead);

    UUID third = submit(1).get(0);

    assertThat(leaseOwner(third)).as("stored unclaimed").isEmpty();
    assertThat(state(third)).isEqualTo("pending");
    assertThat(pending.handled).doesNotContainKey(third);
    votingGate.countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                List.of(first, second, third).stream()
                    .allMatch(id -> state(id).equals("approved")));
    assertThat(claims.claimedInStatement(TransactionState.PENDING))
        .as("taken up by the dispatcher once the backlog drained")
        .contains(third)
        .doesNotContain(first, second);
  }

  @Test
  void aPlaceTheApiDidNotUseIsFreeAgain() {
    CountingClaims claims = new CountingClaims(jdbc);
    Move pending = new Move(TransactionState.PENDING, TransactionState.VOTING);
    servingNewPayments(
        "given-back",
        claims,
        1,
        pending,
        new Move(TransactionState.VOTING, TransactionState.APPROVED));
    UUID first = submitWithKey("place-1", 3000);
    await().atMost(Duration.ofSeconds(30)).until(() -> state(first).equals("approved"));

    // each takes the pending stage's only place and stores nothing: a replay, then a conflict
    assertThat(submitWithKey("place-1", 3000)).isEqualTo(first);
    assertThat(
            api.post(
                    "/api/v1/transactions",
                    SUBMIT_KEY,
                    "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":4000}",
                    "Idempotency-Key",
                    "place-1")
                .status())
        .isEqualTo(409);
    UUID next = submitWithKey("place-2", 5000);

    await().atMost(Duration.ofSeconds(30)).until(() -> state(next).equals("approved"));
    assertThat(pending.handled.get(next).leaseToken()).startsWith("given-back#");
    assertThat(claims.claimedInStatement(TransactionState.PENDING)).doesNotContain(first, next);
  }

  @Test
  void aMoveIntoAStageWithAFreeWorkerRunsItWithoutAnotherClaimStatement() {
    CountingClaims claims = new CountingClaims(jdbc);
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED);
    // polls so rarely that only the start-up poll runs: wake-ups and hand-overs move the work
    PipelineEngine engine =
        engine(
            "hand-over",
            claims,
            props(Duration.ofMinutes(10), 4, Duration.ofSeconds(30), Duration.ofMinutes(10)),
            new Move(TransactionState.PENDING, TransactionState.VOTING),
            voting);
    engine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() == 1);
    double handedOver =
        counter("orchestration_claims_total", "stage", "voting", "how", "handed_over");

    List<UUID> ids = submit(3);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
    assertThat(claims.claimedInStatement(TransactionState.PENDING)).containsAll(ids);
    assertThat(claims.claimedInStatement(TransactionState.VOTING))
        .as("voting claims taken by a claim statement")
        .doesNotContainAnyElementsOf(ids);
    for (UUID id : ids) {
      ClaimedTransaction claim = voting.handled.get(id);
      // the handed-over claim is a claim like any: its own token, the first in the state
      assertThat(claim.leaseToken()).startsWith("hand-over#");
      assertThat(claim.tx().state()).isEqualTo(TransactionState.VOTING);
      assertThat(claim.tx().stageAttempts()).isEqualTo(1);
      assertThat(claim.workStartedAt()).isEqualTo(claim.tx().stateEnteredAt());
      assertThat(transitions(id, "voting", "approved")).isEqualTo(1);
    }
    assertThat(counter("orchestration_claims_total", "stage", "voting", "how", "handed_over"))
        .isGreaterThanOrEqualTo(handedOver + 3);
  }

  /** Moves {@code pending → voting}, writing a column and handing over what it wrote. */
  static final class WritingMove implements StageHandler {
    @Override
    public TransactionState stage() {
      return TransactionState.PENDING;
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      long fee = 1_000 + claim.tx().amountSats();
      return new StageOutcome.Advance(TransactionState.VOTING, "moved by test")
          .setting(row -> row.set("fee_sats", fee).handOver("fee " + fee));
    }
  }

  @Test
  void aHandedOverClaimCarriesWhatTheMoveWroteAndAClaimFromTheDatabaseNothing() {
    // put in voting by hand before the engine runs: its start-up poll claims it from the database
    UUID claimed = submit(1).get(0);
    jdbc.sql("UPDATE transactions SET state = 'voting' WHERE id = ?").param(claimed).update();
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED);
    PipelineEngine engine =
        engine(
            "carry",
            new WorkClaims(jdbc),
            props(Duration.ofMinutes(10), 4, Duration.ofSeconds(30), Duration.ofMinutes(10)),
            new WritingMove(),
            voting);
    engine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() == 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> voting.handled.containsKey(claimed) && state(claimed).equals("approved"));
    assertThat(voting.handled.get(claimed).handedOver()).isEmpty();

    List<UUID> moved = submit(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> moved.stream().allMatch(id -> state(id).equals("approved")));
    for (UUID id : moved) {
      ClaimedTransaction claim = voting.handled.get(id);
      long fee = 1_000 + claim.tx().amountSats();
      assertThat(claim.handedOver(String.class)).contains("fee " + fee);
      assertThat(claim.handedOver(Long.class)).as("another type").isEmpty();
      assertThat(
              jdbc.sql("SELECT fee_sats FROM transactions WHERE id = ?")
                  .param(id)
                  .query(Long.class)
                  .single())
          .isEqualTo(fee);
    }
  }

  @Test
  void aMoveIntoAStageWithNoFreeWorkerLeavesTheRowForTheDispatcherToClaim() {
    CountingClaims claims = new CountingClaims(jdbc);
    CountDownLatch pendingGate = new CountDownLatch(1);
    CountDownLatch votingGate = new CountDownLatch(1);
    Move pending = new Move(TransactionState.PENDING, TransactionState.VOTING, pendingGate);
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED, votingGate);
    engine(
            "no-room",
            claims,
            props(Duration.ofMillis(20), 2, Duration.ofSeconds(30), Duration.ofSeconds(1)),
            pending,
            voting)
        .start();
    List<UUID> moving = submit(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pending.handled.keySet().containsAll(moving));
    // meanwhile two payments already in voting take both of its workers
    List<UUID> busy = submit(2);
    busy.forEach(
        id -> jdbc.sql("UPDATE transactions SET state = 'voting' WHERE id = ?").param(id).update());
    await().atMost(Duration.ofSeconds(30)).until(() -> voting.handled.keySet().containsAll(busy));

    pendingGate.countDown();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> moving.stream().allMatch(id -> state(id).equals("voting")));
    for (UUID id : moving) {
      assertThat(leaseOwner(id)).as("lease of %s", id).isEmpty();
      assertThat(stageAttempts(id)).isZero();
      assertThat(voting.handled).doesNotContainKey(id);
    }
    assertThat(claims.claimedInStatement(TransactionState.VOTING))
        .doesNotContainAnyElementsOf(moving);

    votingGate.countDown();
    List<UUID> all = new ArrayList<>(moving);
    all.addAll(busy);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> all.stream().allMatch(id -> state(id).equals("approved")));
    assertThat(claims.claimedInStatement(TransactionState.VOTING))
        .as("claimed by the dispatcher once a worker was free")
        .containsAll(moving);
    all.forEach(id -> assertThat(transitions(id, "voting", "approved")).isEqualTo(1));
  }

  @Test
  void aHandedOverClaimOfAnEngineThatDiedIsTakenOverOnceItsLeaseExpires() throws Exception {
    AwaitedVoting dead = AwaitedVoting.neverAnswered();
    PipelineEngine dying =
        engine(
            "dying",
            new WorkClaims(jdbc),
            props(Duration.ofMillis(20), 4, Duration.ofSeconds(2), Duration.ofMillis(100)),
            new Move(TransactionState.PENDING, TransactionState.VOTING),
            dead);
    dying.start();
    UUID id = submit(1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> dead.waiting.containsKey(id));
    // it stops dead: no release, no result, the lease left to run out
    dying.close();
    ClaimedTransaction handedOver = dead.waiting.get(id);
    assertThat(leaseOwner(id)).contains(handedOver.leaseToken());
    assertThat(handedOver.leaseToken()).startsWith("dying#");

    CountingClaims survivorClaims = new CountingClaims(jdbc);
    Move survivor = new Move(TransactionState.VOTING, TransactionState.APPROVED);
    engine(
            "survivor",
            survivorClaims,
            props(Duration.ofMillis(20), 4, Duration.ofSeconds(30), Duration.ofMillis(100)),
            survivor)
        .start();
    Thread.sleep(500);
    assertThat(survivor.handled).as("the lease still holds").doesNotContainKey(id);

    await().atMost(Duration.ofSeconds(15)).until(() -> state(id).equals("approved"));
    ClaimedTransaction takenOver = survivor.handled.get(id);
    assertThat(survivorClaims.claimedInStatement(TransactionState.VOTING)).contains(id);
    // a second claim in the state, taking over a lease that ran out: its stage timeout counts
    // from the takeover, not from the dead engine's claim (the time it was gone is no work)
    assertThat(takenOver.tx().stageAttempts()).isEqualTo(2);
    assertThat(takenOver.workStartedAt())
        .isAfterOrEqualTo(handedOver.workStartedAt().plus(Duration.ofSeconds(2)));
    assertThat(takenOver.claimedAt())
        .isAfterOrEqualTo(handedOver.claimedAt().plus(Duration.ofSeconds(2)));
    assertThat(transitions(id, "voting", "approved")).isEqualTo(1);
  }

  @Test
  void aHandedOverClaimsResultIsRefusedOnceItsLeaseWasTaken() {
    CountDownLatch gate = new CountDownLatch(1);
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED, gate);
    engine(
            "lapsed",
            new WorkClaims(jdbc),
            props(Duration.ofMillis(20), 8, Duration.ofSeconds(30), Duration.ofMillis(100)),
            new Move(TransactionState.PENDING, TransactionState.VOTING),
            voting)
        .start();
    UUID id = submit(1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> voting.handled.containsKey(id));
    assertThat(voting.handled.get(id).leaseToken()).startsWith("lapsed#");
    double refused =
        counter(
            "orchestration_stale_results_refused_total", "stage", "voting", "result", "transition");

    // the lease lapsed meanwhile and another replica claimed the payment
    String other = "other-replica#" + UUID.randomUUID();
    assertThat(
            jdbc.sql(
                    "UPDATE transactions SET lease_owner = ?, lease_expires_at = now() + interval"
                        + " '30 seconds', stage_attempts = stage_attempts + 1 WHERE id = ?")
                .params(other, id)
                .update())
        .isEqualTo(1);
    gate.countDown();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                counter(
                        "orchestration_stale_results_refused_total",
                        "stage",
                        "voting",
                        "result",
                        "transition")
                    >= refused + 1);
    assertThat(state(id)).isEqualTo("voting");
    assertThat(leaseOwner(id)).contains(other);
    assertThat(transitions(id, "voting", "approved")).isZero();
  }

  @Test
  void aHandOverTakingTheLastPlaceWhileTheDispatcherClaimsDoesNotStopTheEngine() {
    CountDownLatch pendingGate = new CountDownLatch(1);
    AwaitedVoting voting = AwaitedVoting.answeredLater();
    UUID moving = submit(1).get(0);
    UUID waiting = submit(1).get(0);
    java.util.concurrent.atomic.AtomicBoolean armed =
        new java.util.concurrent.atomic.AtomicBoolean();
    WorkClaims racing =
        new WorkClaims(jdbc) {
          @Override
          public List<ClaimedTransaction> claim(
              TransactionState state, int limit, Duration lease, String owner) {
            if (state == TransactionState.VOTING && armed.compareAndSet(true, false)) {
              // between the dispatcher's look at the free places and its claim, a move into
              // voting finishes on a pending worker and may take the one voting place
              pendingGate.countDown();
              await().atMost(Duration.ofSeconds(10)).until(() -> state(moving).equals("voting"));
              long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
              while (!voting.waiting.containsKey(moving) && System.nanoTime() < until) {
                Thread.onSpinWait();
              }
            }
            return super.claim(state, limit, lease, owner);
          }
        };
    // one voting worker and one voting payment in flight: the place the race is about
    PipelineProperties one =
        new PipelineProperties(
            Duration.ofMillis(20),
            1,
            1,
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            Duration.ofMillis(50),
            Map.of(),
            "",
            1);
    engine(
            "racing",
            racing,
            one,
            new Move(TransactionState.PENDING, TransactionState.VOTING, pendingGate),
            voting)
        .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state(moving).equals("pending") && leaseOwner(moving).isPresent());
    // a payment waits in voting, unclaimed, when the dispatcher next claims voting work
    armed.set(true);
    jdbc.sql("UPDATE transactions SET state = 'voting' WHERE id = ?").param(waiting).update();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state(moving).equals("approved") && state(waiting).equals("approved"));
    assertThat(armed).isFalse();
    assertThat(transitions(moving, "voting", "approved")).isEqualTo(1);
  }
}
