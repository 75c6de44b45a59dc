package io.mpcw.launcher.chaos;

import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.launcher.cluster.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The chaos suite's faults by scenario name: the process faults here, the network and clock faults
 * in their own classes. Random choices (which replica, when) come from the run's seed.
 */
final class ChaosFaults {
  private final Random random;

  ChaosFaults(Random random) {
    this.random = random;
  }

  Fault fault(String name, ChaosCluster cluster, PaymentLoad load) {
    return switch (name) {
      case "orchestrator-kill-9" -> timed(Duration.ofSeconds(30), () -> killOrchestrators(cluster));
      case "etcd-leader-kill" ->
          timed(
              Duration.ofSeconds(25),
              () -> etcdOutage(cluster, List.of(cluster.etcdLeader().orElseThrow())));
      case "etcd-follower-kill" ->
          timed(
              Duration.ofSeconds(25),
              () ->
                  etcdOutage(
                      cluster,
                      cluster.etcdMembers().stream().filter(m -> !m.isLeader()).limit(1).toList()));
      case "etcd-quorum-loss" ->
          timed(
              Duration.ofSeconds(30),
              // a majority (3 of 5): no write can commit until they are back
              () ->
                  etcdOutage(
                      cluster,
                      cluster.etcdMembers().subList(0, cluster.etcdMembers().size() / 2 + 1)));
      case "nodes-down-to-t" -> timed(Duration.ofSeconds(40), () -> nodesDown(cluster));
      case "registry-down-60s" -> registryDown(cluster, load);
      case SlowLinks.SCENARIO -> new SlowLinks(cluster, load, random.nextLong());
      case "reshare-crash" -> new ReshareCrash(cluster);
      case "slow-signer", "withhold-share" -> NodeInFaultMode.faultySigner(name, cluster);
      case "postgres-restart" ->
          timed(
              Duration.ofSeconds(25),
              () -> {
                Processes.sleep(6_000);
                cluster.restartPostgres(Duration.ofSeconds(3));
              });
      default ->
          name.startsWith("byzantine-")
              ? NodeInFaultMode.byzantine(name.substring("byzantine-".length()), cluster)
              : name.startsWith("clock-")
                  ? ClockSkewFaults.of(name, cluster, load)
                  : PartitionFaults.of(name, cluster, load);
    };
  }

  private static Fault timed(Duration window, Runnable during) {
    return new Fault() {
      @Override
      public void during() {
        during.run();
      }

      @Override
      public Duration window() {
        return window;
      }
    };
  }

  /**
   * Ten SIGKILLs of a replica picked at random, at a random moment, each while the other replica
   * runs: the survivor must finish the victim's claimed work once its lease runs out, and the
   * victim comes back at once (its restart races the takeover).
   */
  private void killOrchestrators(ChaosCluster cluster) {
    List<String> replicas = List.of("orchestrator", ChaosCluster.SECOND_ORCHESTRATOR);
    for (int i = 0; i < 10; i++) {
      replicas.forEach(r -> cluster.awaitHealthy(r, Duration.ofMinutes(2)));
      Processes.sleep(2_000 + random.nextInt(3_000));
      String victim = replicas.get(random.nextInt(2));
      cluster.kill(victim);
      cluster.start(victim);
    }
    replicas.forEach(r -> cluster.awaitHealthy(r, Duration.ofMinutes(2)));
  }

  private static void etcdOutage(ChaosCluster cluster, List<EtcdMember> victims) {
    Processes.sleep(6_000);
    victims.forEach(EtcdMember::kill);
    Processes.sleep(victims.size() > 1 ? 12_000 : 6_000);
    victims.forEach(cluster::restartEtcd);
  }

  /** n = 5, t = 4: one node down leaves exactly t; a second one stalls voting until they return. */
  private static void nodesDown(ChaosCluster cluster) {
    Processes.sleep(5_000);
    cluster.kill("node-5");
    Processes.sleep(10_000);
    cluster.kill("node-4");
    Processes.sleep(15_000);
    cluster.start("node-5");
    cluster.start("node-4");
    cluster.awaitHealthy("node-5", Duration.ofMinutes(2));
    cluster.awaitHealthy("node-4", Duration.ofMinutes(2));
  }

  /**
   * The registry killed for 60 s: payments must keep confirming meanwhile, with the nodes in peer
   * mode and the orchestrator's membership from the nodes; everyone returns to the registry after.
   */
  private static Fault registryDown(ChaosCluster cluster, PaymentLoad load) {
    List<String> notes = new ArrayList<>();
    return new Fault() {
      @Override
      public void during() {
        Processes.sleep(3_000);
        cluster.kill("registry");
        long confirmedBefore = load.confirmedCount();
        Processes.sleep(30_000);
        notes.add("at 30 s without the registry: " + cluster.membershipModes());
        Processes.sleep(30_000);
        notes.add(
            (load.confirmedCount() - confirmedBefore)
                + " payments confirmed while the registry was down");
        cluster.start("registry");
        cluster.awaitHealthy("registry", Duration.ofMinutes(2));
        Processes.sleep(10_000);
        notes.add("10 s after it is back: " + cluster.membershipModes());
      }

      @Override
      public Duration window() {
        return Duration.ofSeconds(70);
      }

      @Override
      public List<String> notes() {
        return notes;
      }
    };
  }
}
