package io.mpcw.votes.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.linearizability.History.Op;
import io.mpcw.votes.linearizability.LedgerModel.Cast;
import io.mpcw.votes.linearizability.LedgerModel.Counted;
import io.mpcw.votes.linearizability.LedgerModel.Decide;
import io.mpcw.votes.linearizability.LedgerModel.Duplicate;
import io.mpcw.votes.linearizability.LedgerModel.Late;
import io.mpcw.votes.linearizability.LedgerModel.Observed;
import io.mpcw.votes.linearizability.LedgerModel.Read;
import io.mpcw.votes.linearizability.LedgerModel.Stands;
import io.mpcw.votes.linearizability.LedgerModel.State;
import io.mpcw.votes.linearizability.LedgerModel.Vote;
import io.mpcw.votes.linearizability.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jepsen-style check of the vote ledger on a real 3-member etcd: concurrent clients vote, decide
 * and read while members are killed, every operation is recorded, and each transaction's history
 * must be linearizable against the sequential ledger, with etcd's final state consistent.
 */
class VoteLedgerLinearizabilityTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.dedicated(3);
  private static final VoteWorkload.Settings SETTINGS = new VoteWorkload.Settings(8, 4, 300, 7L);

  @BeforeEach
  void everyMemberRunsAndIsHealthy() {
    EtcdCluster cluster = ETCD.cluster();
    for (EtcdMember member : cluster.members()) {
      if (!member.isRunning()) {
        cluster.restart(member);
      }
    }
    cluster.awaitHealthy(Duration.ofSeconds(30));
  }

  @Test
  void votesDecidesAndReadsStayLinearizableWhileTheLeaderIsKilledAndRestarted() throws Exception {
    Outcome outcome =
        run(
            "leader-kill",
            cluster -> {
              sleep(1000);
              EtcdMember leader = awaitLeader(cluster);
              leader.kill();
              sleep(1500);
              cluster.restart(leader);
              sleep(1000);
            });

    outcome.assertLinearizableAndConsistent();
  }

  @Test
  void votesDecidesAndReadsStayLinearizableWhileAFollowerIsDown() throws Exception {
    Outcome outcome =
        run(
            "follower-kill",
            cluster -> {
              sleep(1000);
              EtcdMember leader = awaitLeader(cluster);
              EtcdMember follower =
                  cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
              follower.kill();
              sleep(1500);
              cluster.restart(follower);
              sleep(700);
            });

    outcome.assertLinearizableAndConsistent();
  }

  @Test
  void losingTwoOfThreeMembersMakesOperationsIndeterminateButNeverBreaksLinearizability()
      throws Exception {
    Outcome outcome =
        run(
            "quorum-loss",
            cluster -> {
              sleep(1000);
              EtcdMember leader = awaitLeader(cluster);
              EtcdMember follower =
                  cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
              leader.kill();
              follower.kill();
              sleep(3000);
              cluster.restart(follower);
              cluster.restart(leader);
              sleep(1500);
            });

    outcome.assertLinearizableAndConsistent();
    assertThat(outcome.indeterminate())
        .as("operations issued without a quorum cannot have been acknowledged")
        .isPositive();
  }

  private interface Faults {
    void inject(EtcdCluster cluster);
  }

  private record Outcome(String scenario, VoteWorkload.Run run, List<Verdict> verdicts) {
    long indeterminate() {
      return run.history().stream().filter(op -> !op.outcome().determinate()).count();
    }

    void assertLinearizableAndConsistent() {
      List<String> failures = new ArrayList<>();
      verdicts.stream()
          .filter(v -> !v.linearizable())
          .limit(3)
          .forEach(v -> failures.add(v.explanation()));
      assertThat(failures).as(scenario + ": non-linearizable transactions").isEmpty();
      assertThat(verdicts).hasSize(run.finalState().size());

      List<String> broken = new ArrayList<>();
      var byTx = History.byTransaction(run.history());
      run.finalState()
          .forEach(
              (tx, stored) ->
                  broken.addAll(
                      FinalStateInvariants.violations(stored, byTx.getOrDefault(tx, List.of()))));
      assertThat(broken).as(scenario + ": final-state invariants").isEmpty();
      assertThat(run.unexpected()).as(scenario + ": unexpected client errors").isEmpty();

      // the workload exercised every answer the ledger gives, not only the happy path
      assertThat(count(Counted.class)).isPositive();
      assertThat(count(Duplicate.class)).isPositive();
      assertThat(count(Late.class)).isPositive();
      assertThat(count(Stands.class)).isPositive();
      assertFalsifiedReadIsRejected();
    }

    /**
     * The same real history with one acknowledged vote taken out of a read invoked after the vote
     * was acknowledged: the checker must see the stale read.
     */
    private void assertFalsifiedReadIsRejected() {
      for (var part : History.byTransaction(run.history()).entrySet()) {
        List<Op> ops = part.getValue();
        for (Op cast : ops) {
          for (Op read : ops) {
            if (cast.call() instanceof Cast c
                && cast.outcome() instanceof Counted
                && read.outcome() instanceof Observed observed
                && read.invoked() > cast.completed()
                && observed.state().votes().containsKey(c.node())) {
              Map<String, Vote> votes = new TreeMap<>(observed.state().votes());
              votes.remove(c.node());
              List<Op> falsified = new ArrayList<>(ops);
              falsified.set(
                  ops.indexOf(read),
                  new Op(
                      read.id(),
                      read.tx(),
                      read.client(),
                      read.call(),
                      new Observed(new State(votes, observed.state().decision())),
                      read.invoked(),
                      read.completed()));
              assertThat(LinearizabilityChecker.check(part.getKey(), falsified).linearizable())
                  .as(scenario + ": the checker must reject a read missing an acknowledged vote")
                  .isFalse();
              return;
            }
          }
        }
      }
      throw new AssertionError(scenario + ": no read came after an acknowledged vote");
    }

    long count(Class<?> outcome) {
      return run.history().stream().filter(op -> outcome.isInstance(op.outcome())).count();
    }
  }

  private Outcome run(String scenario, Faults faults) throws Exception {
    EtcdCluster cluster = ETCD.cluster();
    EtcdKeys keys = new EtcdKeys(ETCD.keyPrefix() + "/" + scenario);
    Instant started = Instant.now();
    VoteWorkload.Run run =
        new VoteWorkload(cluster, keys, SETTINGS).run(() -> faults.inject(cluster));
    long checkStarted = System.nanoTime();
    List<Verdict> verdicts = LinearizabilityChecker.checkAll(run.history());
    long checkMillis = (System.nanoTime() - checkStarted) / 1_000_000;
    Outcome outcome = new Outcome(scenario, run, verdicts);
    System.out.println(summary(outcome, checkMillis, Duration.between(started, Instant.now())));
    return outcome;
  }

  private static String summary(Outcome outcome, long checkMillis, Duration total) {
    List<Op> ops = outcome.run().history();
    long indeterminate = outcome.indeterminate();
    long casts = ops.stream().filter(op -> op.call() instanceof Cast).count();
    long decides = ops.stream().filter(op -> op.call() instanceof Decide).count();
    long reads = ops.stream().filter(op -> op.call() instanceof Read).count();
    long won =
        ops.stream()
            .filter(
                op ->
                    op.call() instanceof Decide d
                        && op.outcome() instanceof Stands s
                        && s.decision().equals(d.decision()))
            .count();
    long linearizable = outcome.verdicts().stream().filter(Verdict::linearizable).count();
    long states = outcome.verdicts().stream().mapToLong(Verdict::statesExplored).sum();
    int widest = outcome.verdicts().stream().mapToInt(Verdict::operations).max().orElse(0);
    List<Long> latencies =
        ops.stream()
            .filter(op -> op.outcome().determinate() && op.client() >= 0)
            .map(op -> (op.completed() - op.invoked()) / 1_000_000)
            .sorted()
            .toList();
    return String.format(
        "[linearizability] scenario=%s ops=%d (casts=%d decides=%d reads=%d) acked=%d"
            + " indeterminate=%d (casts=%d decides=%d reads=%d) counted=%d duplicate=%d late=%d decide-won=%d decide-lost=%d"
            + " latency-p50=%dms latency-max=%dms txs=%d linearizable=%d max-ops/tx=%d"
            + " states=%d check=%dms workload=%dms total=%dms",
        outcome.scenario(),
        ops.size(),
        casts,
        decides,
        reads,
        ops.size() - indeterminate,
        indeterminate,
        unknown(ops, Cast.class),
        unknown(ops, Decide.class),
        unknown(ops, Read.class),
        outcome.count(Counted.class),
        outcome.count(Duplicate.class),
        outcome.count(Late.class),
        won,
        outcome.count(Stands.class) - won,
        latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
        outcome.verdicts().size(),
        linearizable,
        widest,
        states,
        checkMillis,
        outcome.run().workloadMillis(),
        total.toMillis());
  }

  private static long unknown(List<Op> ops, Class<?> call) {
    return ops.stream()
        .filter(op -> call.isInstance(op.call()) && !op.outcome().determinate())
        .count();
  }

  private static EtcdMember awaitLeader(EtcdCluster cluster) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      var leader = cluster.leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      sleep(100);
    }
    throw new IllegalStateException("no etcd leader within 10 s");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
