package io.mpcw.orchestrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.transaction.RowChange;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.transaction.WorkSignals;
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
  @Autowired io.mpcw.orchestrator.transaction.WorkSignals workSignals;
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;
  @Autowired OrchestrationMetrics metrics;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;
  @Autowired javax.sql.DataSource dataSource;

  private final List<PipelineEngine> engines = new ArrayList<>();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stopEngines() throws Exception {
    engines.forEach(PipelineEngine::close);
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /** Moves {@code from → to}, optionally waiting on {@code gate} first. */
  static final class Move implements StageHandler {
    final TransactionState from;
    final TransactionState to;
    final java.util.concurrent.CountDownLatch gate;
    final java.util.concurrent.atomic.AtomicInteger entered =
        new java.util.concurrent.atomic.AtomicInteger();

    Move(TransactionState from, TransactionState to) {
      this(from, to, new java.util.concurrent.CountDownLatch(0));
    }

    Move(TransactionState from, TransactionState to, java.util.concurrent.CountDownLatch gate) {
      this.from = from;
      this.to = to;
      this.gate = gate;
    }

    @Override
    public TransactionState stage() {
      return from;
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      entered.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StageOutcome.Retry(Duration.ofMillis(50), "interrupted");
      }
      return new StageOutcome.Advance(to, "moved by test");
    }
  }

  private PipelineEngine engine(
      String owner, List<StageHandler> handlers, PipelineProperties props, WorkSignals signals) {
    PipelineEngine engine =
        new PipelineEngine(owner, handlers, props, claims, transitions, database, metrics, signals);
    engines.add(engine);
    return engine;
  }

  /** Polls so rarely that only a wake-up can move work within a test. */
  private static PipelineProperties neverPolling(int workersPerStage) {
    return new PipelineProperties(
        Duration.ofMinutes(10),
        workersPerStage,
        workersPerStage,
        Duration.ofSeconds(30),
        Duration.ofMinutes(10),
        Duration.ofMillis(50),
        Map.of(),
        "");
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
        new PipelineEngine(
            owner, List.of(handler), props, claims, transitions, database, metrics, workSignals);
    engines.add(engine);
    return engine;
  }

  private static PipelineProperties props(
      Duration lease, Map<TransactionState, Duration> timeouts) {
    return new PipelineProperties(
        Duration.ofMillis(20),
        8,
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

    // the dead engine wakes up and tries to apply its stale outcome: refused, and counted by name
    double refusedBefore = staleRefused("pending", "transition");
    PipelineEngine zombie =
        engine("dead-engine", new RecordingStage("dead"), props(Duration.ofSeconds(2), Map.of()));
    zombie.process(deadClaims.get(0));
    assertThat(transitions(id, "pending", "voting")).isEqualTo(1);
    assertThat(state(id)).isEqualTo("voting");
    assertThat(staleRefused("pending", "transition")).isEqualTo(refusedBefore + 1);
  }

  @Test
  void aRetryOfAnEngineWhoseLeaseWasTakenOverIsRefusedAndCounted() {
    UUID id = submit(1).get(0);
    List<ClaimedTransaction> lapsed =
        claims.claim(TransactionState.PENDING, 10, Duration.ofSeconds(30), "cut-off-engine");
    assertThat(lapsed).hasSize(1);
    // its lease is gone (as after a lapse and another replica's claim)
    claims.release(lapsed.get(0), Duration.ZERO);
    List<ClaimedTransaction> taken =
        claims.claim(TransactionState.PENDING, 10, Duration.ofSeconds(30), "other-replica");
    assertThat(taken).hasSize(1);
    double refusedBefore = staleRefused("pending", "retry");
    StageHandler retrying =
        new StageHandler() {
          @Override
          public TransactionState stage() {
            return TransactionState.PENDING;
          }

          @Override
          public StageOutcome handle(ClaimedTransaction claim) {
            return new StageOutcome.Retry(Duration.ofSeconds(5), "try later");
          }
        };

    engine("cut-off-engine", retrying, props(Duration.ofSeconds(30), Map.of()))
        .process(lapsed.get(0));

    assertThat(staleRefused("pending", "retry")).isEqualTo(refusedBefore + 1);
    assertThat(state(id)).isEqualTo("pending");
    // the other replica's lease stands: its own release is still accepted
    assertThat(claims.release(taken.get(0), Duration.ZERO)).isTrue();
  }

  private double staleRefused(String stage, String result) {
    io.micrometer.core.instrument.Counter c =
        meters
            .find("orchestration_stale_results_refused_total")
            .tags("stage", stage, "result", result)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aStageThatOutlivesItsTimeoutFailsWithTheReasonRecorded() {
    UUID id = submit(1).get(0);
    engine(
            "timer",
            new NeverDone(Duration.ZERO),
            props(Duration.ofSeconds(30), Map.of(TransactionState.PENDING, Duration.ofSeconds(1))))
        .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("failed"));
    assertThat(failedFor(id)).isEqualTo("pending timed out after 1 s");
  }

  private String failedFor(UUID id) {
    return jdbc.sql(
            "SELECT reason FROM transaction_history WHERE tx_id = ? AND to_state = 'failed'")
        .param(id)
        .query(String.class)
        .single();
  }

  /** A pending stage that takes {@code eachHandling} and then asks to look again, every time. */
  static final class NeverDone implements StageHandler {
    final java.util.concurrent.atomic.AtomicInteger handlings =
        new java.util.concurrent.atomic.AtomicInteger();
    private final Duration eachHandling;

    NeverDone(Duration eachHandling) {
      this.eachHandling = eachHandling;
    }

    @Override
    public TransactionState stage() {
      return TransactionState.PENDING;
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      handlings.incrementAndGet();
      try {
        Thread.sleep(eachHandling.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new StageOutcome.Retry(Duration.ofMillis(50), "not yet");
    }
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
  void aCommittedTransitionWakesTheNextStageWithoutWaitingForAPoll() {
    PipelineEngine engine =
        engine(
            "wake",
            List.of(
                new Move(TransactionState.PENDING, TransactionState.VOTING),
                new Move(TransactionState.VOTING, TransactionState.APPROVED)),
            neverPolling(4),
            workSignals);
    engine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() == 1);

    List<UUID> ids = submit(3);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
    assertThat(engine.polls()).as("only the start-up poll ran").isEqualTo(1);
  }

  @Test
  void anotherReplicasTransitionWakesThisEngineThroughPostgresNotify() {
    // this "replica" hears only PostgreSQL: the API's in-process signals go to another WorkSignals
    WorkSignals replicaSignals = new WorkSignals();
    WorkNotifications notifications = new WorkNotifications(dataSource, replicaSignals);
    closeables.add(notifications);
    notifications.start();
    PipelineEngine replica =
        engine(
            "replica",
            List.of(new Move(TransactionState.PENDING, TransactionState.VOTING)),
            neverPolling(4),
            replicaSignals);
    replica.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> replica.polls() == 1 && notifications.listening());

    UUID id = submit(1).get(0);

    await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("voting"));
    assertThat(replica.polls()).as("only the start-up poll ran").isEqualTo(1);
  }

  @Test
  void aStageTimeoutCountsFromTheFirstClaimNotFromTimeSpentQueued() {
    UUID id = submit(1).get(0);
    // queued far longer than the pending timeout before any worker took it up
    jdbc.sql(
            "UPDATE transactions SET state_entered_at = now() - interval '10 minutes',"
                + " next_attempt_at = now() - interval '10 minutes' WHERE id = ?")
        .param(id)
        .update();
    engine(
            "queued",
            new RecordingStage("queued"),
            props(Duration.ofSeconds(30), Map.of(TransactionState.PENDING, Duration.ofSeconds(60))))
        .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !state(id).equals("pending"));
    assertThat(state(id)).isEqualTo("voting");
  }

  @Test
  void aStageTimeoutStartsAgainWhenTheWorkOfADeadEngineIsTakenOver() {
    List<UUID> ids = submit(2);
    // a dead engine claimed both when they entered the state, longer ago than the timeout
    assertThat(claims.claim(TransactionState.PENDING, 2, Duration.ofSeconds(30), "dead-engine"))
        .hasSize(2);
    jdbc.sql(
            "UPDATE transactions SET stage_started_at = now() - interval '10 minutes',"
                + " lease_expires_at = now() - interval '1 second' WHERE id IN (?, ?)")
        .params(ids.get(0), ids.get(1))
        .update();
    // the first lease is cleared by the sweep, the second is claimed over directly
    assertThat(claims.sweepExpired()).isGreaterThanOrEqualTo(2);
    jdbc.sql(
            "UPDATE transactions SET lease_owner = 'dead-engine#x',"
                + " lease_expires_at = now() - interval '1 second',"
                + " stage_started_at = now() - interval '10 minutes' WHERE id = ?")
        .param(ids.get(1))
        .update();

    engine(
            "survivor",
            new RecordingStage("survivor"),
            props(Duration.ofSeconds(30), Map.of(TransactionState.PENDING, Duration.ofSeconds(60))))
        .start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids.stream().noneMatch(id -> state(id).equals("pending")));
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("voting"));
  }

  @Test
  void aLiveEngineKeepsItsClaimPastTheLeaseAndNoOtherEngineTakesTheWorkOver() throws Exception {
    UUID id = submit(1).get(0);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    Move slow = new Move(TransactionState.PENDING, TransactionState.VOTING, gate);
    PipelineProperties oneSecondLease = props(Duration.ofSeconds(1), Map.of());
    engine("slow-but-alive", slow, oneSecondLease).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> slow.entered.get() == 1);
    RecordingStage other = new RecordingStage("other");
    engine("other", other, oneSecondLease).start();

    // three leases long, with the sweep running every 100 ms and the other engine polling
    Thread.sleep(3_000);
    assertThat(other.handledBy).as("work taken over from a live engine").isEmpty();
    assertThat(
            jdbc.sql("SELECT lease_owner FROM transactions WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .startsWith("slow-but-alive#");

    gate.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("voting"));
    assertThat(transitions(id, "pending", "voting")).isEqualTo(1);
    assertThat(slow.entered.get()).isEqualTo(1);
    assertThat(other.handledBy).isEmpty();
  }

  @Test
  void aStageWhoseEveryHandlingOutlivesTheLeaseStillTimesOut() {
    UUID id = submit(1).get(0);
    NeverDone slow = new NeverDone(Duration.ofMillis(1_500));
    // a lease shorter than one handling: an engine that did not renew its leases lost every
    // claim mid-handling, and the takeover started the stage's timeout again, for ever
    engine(
            "slow",
            slow,
            props(Duration.ofSeconds(1), Map.of(TransactionState.PENDING, Duration.ofSeconds(3))))
        .start();

    await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("failed"));
    assertThat(failedFor(id)).isEqualTo("pending timed out after 3 s");
    assertThat(slow.handlings.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aClaimOverALeaseThatRanOutIsCountedAsAnExpiredLease() {
    UUID id = submit(1).get(0);
    assertThat(claims.claim(TransactionState.PENDING, 1, Duration.ofSeconds(30), "dead-engine"))
        .hasSize(1);
    jdbc.sql("UPDATE transactions SET lease_expires_at = now() - interval '1 second' WHERE id = ?")
        .param(id)
        .update();
    double before = meters.counter("orchestration_leases_expired_total").count();
    // no sweep within the test: only the claim can find the lease that ran out
    engine(
            "survivor",
            new RecordingStage("survivor"),
            new PipelineProperties(
                Duration.ofMillis(20),
                8,
                8,
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofMillis(50),
                Map.of(),
                ""))
        .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("voting"));
    assertThat(meters.counter("orchestration_leases_expired_total").count()).isEqualTo(before + 1);
  }

  @Test
  void theFirstClaimInAStateIsKeptAcrossRetriesAndClearedByTheNextState() {
    UUID id = submit(1).get(0);
    ClaimedTransaction first =
        claims.claim(TransactionState.PENDING, 1, Duration.ofSeconds(30), "t").get(0);
    claims.release(first, Duration.ZERO);
    ClaimedTransaction second =
        claims.claim(TransactionState.PENDING, 1, Duration.ofSeconds(30), "t").get(0);

    assertThat(second.workStartedAt()).isEqualTo(first.workStartedAt());

    database.executeWithoutResult(
        s ->
            transitions.apply(
                second.tx(),
                TransactionState.VOTING,
                "test",
                "test",
                Optional.of(second.leaseToken())));
    ClaimedTransaction voting =
        claims.claim(TransactionState.VOTING, 1, Duration.ofSeconds(30), "t").get(0);
    assertThat(voting.workStartedAt()).isAfterOrEqualTo(voting.tx().stateEnteredAt());
    assertThat(voting.workStartedAt()).isAfter(first.workStartedAt());
  }

  @Test
  void aWriteAlongsideAMoveHappensWithTheMoveAndNeverWithoutIt() {
    UUID id = submit(1).get(0);
    ClaimedTransaction claim =
        claims.claim(TransactionState.PENDING, 1, Duration.ofSeconds(30), "t").get(0);
    // the claim's move to voting, noting in the history alongside it that it ran
    java.util.function.Function<String, Optional<TransactionRecord>> moveNoting =
        note ->
            database.execute(
                s ->
                    transitions.apply(
                        claim.tx(),
                        TransactionState.VOTING,
                        "test",
                        "test",
                        Optional.of(claim.leaseToken()),
                        Optional.empty(),
                        Duration.ZERO,
                        new RowChange()
                            .alongside(
                                "INSERT INTO transaction_history (tx_id, from_state, to_state, at,"
                                    + " reason, actor) SELECT id, 'pending', 'voting', now(),"
                                    + " :note, 'test' FROM moved",
                                Map.of("note", note))));

    Optional<TransactionRecord> moved = moveNoting.apply("with the move");
    // the same claim again: the row has moved on, so nothing is written, alongside neither
    Optional<TransactionRecord> stale = moveNoting.apply("without a move");

    assertThat(moved).isPresent();
    assertThat(stale).isEmpty();
    assertThat(
            jdbc.sql("SELECT reason FROM transaction_history WHERE tx_id = ? AND actor = 'test'")
                .param(id)
                .query(String.class)
                .list())
        .containsExactlyInAnyOrder("test", "with the move");
  }

  @Test
  void anEngineClaimsOnlyStatesItHasAHandlerFor() {
    UUID old = submit(1).get(0);
    // in voting for ten minutes, far past the voting timeout, with no voting stage here
    jdbc.sql(
            "UPDATE transactions SET state = 'voting', state_entered_at = now() - interval '10"
                + " minutes' WHERE id = ?")
        .param(old)
        .update();
    PipelineEngine engine =
        engine("pending-only", new RecordingStage("p"), props(Duration.ofSeconds(30), Map.of()));
    engine.start();
    UUID fresh = submit(1).get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> state(fresh).equals("voting"));
    long polled = engine.polls();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() >= polled + 3);

    assertThat(state(old)).isEqualTo("voting");
    assertThat(
            jdbc.sql("SELECT stage_attempts FROM transactions WHERE id = ?")
                .param(old)
                .query(Integer.class)
                .single())
        .as("never claimed")
        .isZero();
  }

  @Test
  void noNewPaymentIsTakenUpWhileALaterStageHasWorkItHasNoWorkerFor() {
    var gate = new java.util.concurrent.CountDownLatch(1);
    Move voting = new Move(TransactionState.VOTING, TransactionState.APPROVED, gate);
    PipelineEngine engine =
        engine(
            "front-to-back",
            List.of(new Move(TransactionState.PENDING, TransactionState.VOTING), voting),
            new PipelineProperties(
                Duration.ofMillis(20),
                1,
                1,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Map.of(),
                ""),
            workSignals);
    List<UUID> ids = submit(4);
    engine.start();

    // voting's one worker is held; a payment may slip into voting before it is seen to be full
    await().atMost(Duration.ofSeconds(10)).until(() -> voting.entered.get() == 1);
    long polled = engine.polls();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() >= polled + 5);
    assertThat(ids.stream().filter(id -> state(id).equals("pending")).count())
        .as("payments left pending while voting is full")
        .isGreaterThanOrEqualTo(2);

    gate.countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
  }

  @Test
  void aStageBlockedOnEveryWorkerDoesNotStopAnotherStage() {
    var gate = new java.util.concurrent.CountDownLatch(1);
    Move signing = new Move(TransactionState.SIGNING, TransactionState.SIGNED, gate);
    List<UUID> ids = submit(3);
    jdbc.sql("UPDATE transactions SET state = 'signing' WHERE id = ? OR id = ?")
        .params(ids.get(0), ids.get(1))
        .update();
    jdbc.sql("UPDATE transactions SET state = 'approved' WHERE id = ?").param(ids.get(2)).update();
    engine(
            "isolated",
            List.of(signing, new Move(TransactionState.APPROVED, TransactionState.SIGNING)),
            new PipelineProperties(
                Duration.ofMillis(20),
                2,
                2,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Map.of(),
                ""),
            workSignals)
        .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> signing.entered.get() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> state(ids.get(2)).equals("signing"));
    gate.countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("signed")));
  }

  /** Moves {@code from → to} once its wait, which the test ends, is over. */
  static final class Awaiting implements StageHandler {
    final TransactionState from;
    final TransactionState to;
    final List<java.util.concurrent.CompletableFuture<Void>> waits = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger handled =
        new java.util.concurrent.atomic.AtomicInteger();

    Awaiting(TransactionState from, TransactionState to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public TransactionState stage() {
      return from;
    }

    @Override
    public Optional<java.util.concurrent.CompletionStage<?>> awaitFirst(ClaimedTransaction claim) {
      var wait = new java.util.concurrent.CompletableFuture<Void>();
      waits.add(wait);
      return Optional.of(wait);
    }

    @Override
    public StageOutcome handle(ClaimedTransaction claim) {
      handled.incrementAndGet();
      return new StageOutcome.Advance(to, "moved after its wait");
    }
  }

  private static PipelineProperties oneWorker(int awaitingPerStage) {
    return new PipelineProperties(
        Duration.ofMillis(20),
        1,
        1,
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        Duration.ofMillis(50),
        Map.of(),
        "",
        awaitingPerStage);
  }

  private List<UUID> inVoting(int count) {
    List<UUID> ids = submit(count);
    ids.forEach(
        id -> jdbc.sql("UPDATE transactions SET state = 'voting' WHERE id = ?").param(id).update());
    return ids;
  }

  @Test
  void aStageWaitingOnTheNodesHoldsNoWorkerAndIsHandledOnceItsWaitEndsEvenInFailure() {
    Awaiting voting = new Awaiting(TransactionState.VOTING, TransactionState.APPROVED);
    List<UUID> ids = inVoting(3);
    engine("waiting", List.of(voting), oneWorker(8), workSignals).start();

    // one worker, three waits open at once: none of them holds it
    await().atMost(Duration.ofSeconds(10)).until(() -> voting.waits.size() == 3);
    assertThat(voting.handled.get()).isZero();
    assertThat(ids).allMatch(id -> state(id).equals("voting"));

    voting.waits.get(0).complete(null);
    voting.waits.get(1).completeExceptionally(new IllegalStateException("a node went away"));
    voting.waits.get(2).complete(null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
    assertThat(voting.handled.get()).isEqualTo(3);
    ids.forEach(id -> assertThat(transitions(id, "voting", "approved")).isEqualTo(1));
  }

  @Test
  void aWaitThatNeverEndsIsCutOffAtTheStageTimeoutAndTheStageHandlesWhatItHas() {
    UUID id = inVoting(1).get(0);
    Awaiting voting = new Awaiting(TransactionState.VOTING, TransactionState.APPROVED);
    engine(
            "cut-off-wait",
            List.of(voting),
            new PipelineProperties(
                Duration.ofMillis(20),
                1,
                1,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Map.of(TransactionState.VOTING, Duration.ofSeconds(2)),
                "",
                8),
            workSignals)
        .start();

    // the test never completes the wait; the engine's renewal alone would hold the claim for ever
    await().atMost(Duration.ofSeconds(20)).until(() -> state(id).equals("approved"));
    assertThat(voting.waits).hasSize(1);
    assertThat(voting.waits.get(0)).isNotDone();
    assertThat(voting.handled.get()).isEqualTo(1);
  }

  @Test
  void noMoreClaimsWaitOnTheNetworkThanAwaitingPerStage() {
    Awaiting voting = new Awaiting(TransactionState.VOTING, TransactionState.APPROVED);
    List<UUID> ids = inVoting(3);
    PipelineEngine engine = engine("bounded", List.of(voting), oneWorker(2), workSignals);
    engine.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> voting.waits.size() == 2);
    long polled = engine.polls();
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.polls() >= polled + 5);
    assertThat(voting.waits).as("waits started while two are open").hasSize(2);

    voting.waits.get(0).complete(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> voting.waits.size() == 3);
    voting.waits.forEach(w -> w.complete(null));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids.stream().allMatch(id -> state(id).equals("approved")));
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
