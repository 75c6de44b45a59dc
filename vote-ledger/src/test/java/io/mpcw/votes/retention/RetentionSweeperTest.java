package io.mpcw.votes.retention;

import static io.mpcw.votes.retention.EtcdRecordPrunerTest.exists;
import static io.mpcw.votes.retention.EtcdRecordPrunerTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.retention.RetentionSweeper.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention by time on a real etcd with authentication, the time told by a stepped clock. */
class RetentionSweeperTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static EtcdKeys keys;
  private static Client node1;
  private static Client node2;
  private static Client orchestrator;
  private static Client root;

  private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  // each test its own kinds of records, so the shared etcd's other keys never count
  private final String votes = keys.nodeRecords("node-1") + "votes-" + UUID.randomUUID() + "/";
  private final String locks = keys.nodeRecords("node-1") + "locks-" + UUID.randomUUID() + "/";

  @BeforeAll
  static void connect() {
    keys = ETCD.keys();
    node1 = ETCD.client("node-1");
    node2 = ETCD.client("node-2");
    orchestrator = ETCD.client("orchestrator");
    root = ETCD.client("root");
  }

  @AfterAll
  static void close() {
    node1.close();
    node2.close();
    orchestrator.close();
    root.close();
  }

  private RetentionSweeper sweeper(List<Target> targets) {
    return new RetentionSweeper(
        node1.getKVClient(),
        new EtcdRecordPruner(node1.getKVClient(), TIMEOUT),
        targets,
        RETENTION,
        clock,
        TIMEOUT,
        new RetentionMetrics(meters));
  }

  @Test
  void nothingIsPrunedBeforeOneRetentionPeriodOfSamples() throws Exception {
    put(node1, votes + "a", "v");
    RetentionSweeper sweeper = sweeper(List.of(Target.all("votes", votes)));

    assertThat(sweeper.sweep()).isEmpty();
    clock.advance(RETENTION.minusSeconds(1));
    assertThat(sweeper.sweep()).isEmpty();

    assertThat(exists(root, votes + "a")).isTrue();
    assertThat(pruned("votes")).isZero();
    assertThat(cutoffGauge()).isZero();
  }

  @Test
  void whatWasWrittenBeforeTheNewestSampleOlderThanRetentionIsPruned() throws Exception {
    RetentionSweeper sweeper = sweeper(List.of(Target.all("votes", votes)));
    put(node1, votes + "a", "v");
    sweeper.sweep(); // t0: notes a revision ≥ a's
    put(node1, votes + "b", "v");
    clock.advance(Duration.ofHours(1));
    sweeper.sweep(); // t0 + 1 h: notes a revision ≥ b's
    put(node1, votes + "c", "v");

    clock.advance(RETENTION.minus(Duration.ofHours(1)));
    long firstCutoff = sweeper.sweep().orElseThrow();

    assertThat(exists(root, votes + "a")).isFalse();
    assertThat(exists(root, votes + "b")).isTrue();
    assertThat(pruned("votes")).isEqualTo(1);
    assertThat(cutoffGauge()).isEqualTo(firstCutoff);

    clock.advance(Duration.ofHours(1));
    sweeper.sweep();

    assertThat(exists(root, votes + "b")).isFalse();
    assertThat(exists(root, votes + "c")).isTrue();
    assertThat(pruned("votes")).isEqualTo(2);
    assertThat(cutoffGauge()).isGreaterThan(firstCutoff);
  }

  @Test
  void anotherIdentitysPrefixIsRefusedCountedAndTheSweeperGoesOn() throws Exception {
    String theirs = keys.nodeRecords("node-2") + "locks/";
    String lock = keys.signingLock(UUID.randomUUID(), "node-2");
    String decision = keys.decision(UUID.randomUUID());
    put(node2, lock, "txid");
    put(orchestrator, decision, "approved");
    put(node1, locks + "mine", "txid");
    RetentionSweeper sweeper =
        sweeper(
            List.of(
                Target.all("foreign-locks", theirs),
                Target.all("decisions", keys.orchestratorRecords() + "decisions/"),
                Target.all("locks", locks)));
    sweeper.sweep();
    clock.advance(RETENTION);

    sweeper.sweep();

    assertThat(failures("foreign-locks")).isEqualTo(1);
    assertThat(failures("decisions")).isEqualTo(1);
    assertThat(exists(root, lock)).isTrue();
    assertThat(exists(root, decision)).isTrue();
    assertThat(exists(root, locks + "mine")).isFalse();
    assertThat(pruned("locks")).isEqualTo(1);

    // the next sweep runs again, and again only its own records go
    put(node1, locks + "later", "txid");
    sweeper.sweep(); // the old cut-off again: refused again
    clock.advance(RETENTION);
    sweeper.sweep();

    assertThat(failures("foreign-locks")).isEqualTo(3);
    assertThat(exists(root, locks + "later")).isFalse();
    assertThat(pruned("locks")).isEqualTo(2);
    assertThat(exists(root, lock)).isTrue();
  }

  @Test
  void aStartedSweeperSweepsOnItsOwnUntilClosed() throws Exception {
    put(node1, votes + "a", "v");
    try (RetentionSweeper sweeper = sweeper(List.of(Target.all("votes", votes)))) {
      sweeper.start(Duration.ofMillis(20));
      awaitTrue(() -> sweeper.notes() >= 1);
      clock.advance(RETENTION);

      awaitTrue(() -> pruned("votes") == 1);
    }
    assertThat(exists(root, votes + "a")).isFalse();
  }

  /** Polls (no timing is asserted: the bound only keeps a broken sweeper from hanging the run). */
  private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition never held").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void theCountersAreScrapedAtZeroBeforeTheFirstSweep() {
    sweeper(List.of(Target.all("votes", votes), Target.all("locks", locks)));

    assertThat(pruned("votes")).isZero();
    assertThat(failures("locks")).isZero();
    assertThat(failures("revision")).isZero();
    assertThat(cutoffGauge()).isZero();
  }

  private double pruned(String kind) {
    return meters.get("etcd.records.pruned").tag("kind", kind).counter().count();
  }

  private double failures(String kind) {
    return meters.get("etcd.retention.failures").tag("kind", kind).counter().count();
  }

  private double cutoffGauge() {
    return meters.get("etcd.retention.cutoff.revision").gauge().value();
  }
}
