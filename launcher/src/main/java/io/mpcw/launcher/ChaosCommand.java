package io.mpcw.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.types.etcd.EtcdAccessPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./mpcw chaos}: the fault-injection suite on real processes. One cluster (5-member etcd, 5
 * nodes, two orchestrator replicas on one database, registry, chain simulator) carries a steady
 * stream of payments while each scenario breaks something (kills a process, or cuts links between
 * processes with {@link NetworkCuts}); then every payment must reach exactly one final state, be
 * paid at most once, and the ledger, history and chain must agree. One line per scenario: {@code
 * scenario, payments, confirmed, lost, duplicated, max stall (s)}, then what the fault observed and
 * whether its liveness promise held.
 */
final class ChaosCommand {
  private static final List<String> PROCESS_SCENARIOS =
      List.of(
          "orchestrator-kill-9",
          "etcd-leader-kill",
          "etcd-follower-kill",
          "etcd-quorum-loss",
          "nodes-down-to-t",
          "registry-down-60s",
          "postgres-restart",
          "byzantine-reject-all",
          "byzantine-wrong-digest",
          "byzantine-bad-signature",
          "byzantine-equivocate",
          "byzantine-silent",
          "byzantine-bad-share",
          "reshare-crash",
          "slow-signer",
          "withhold-share");

  /** Process faults first, then network faults (declared after the list they extend). */
  static final List<String> SCENARIOS = scenarios();

  private static List<String> scenarios() {
    List<String> all = new ArrayList<>(PROCESS_SCENARIOS);
    all.addAll(PartitionFaults.SCENARIOS);
    all.addAll(ClockSkewFaults.SCENARIOS);
    all.add(SlowLinks.SCENARIO);
    return List.copyOf(all);
  }

  private static final int NODES = 5;
  private static final int ETCD_MEMBERS = 5;
  private static final int DEFAULT_OFFSET = 7_000;
  private static final Duration SUBMIT_EVERY = Duration.ofMillis(1_200);
  private static final Duration DRAIN = Duration.ofMinutes(4);

  /** Long enough that the outages below stall payments instead of failing them. */
  private static final String ORCHESTRATOR_SETTINGS =
      "{\"mpcw\":{\"pipeline\":{\"lease-duration\":\"10s\",\"stage-timeouts\":"
          + "{\"pending\":\"300s\",\"voting\":\"180s\",\"approved\":\"180s\",\"signing\":\"180s\"}}}}";

  private final Path repo;
  private final List<String> scenarios;
  private final Random random;
  private final boolean keep;

  ChaosCommand(Path repo, List<String> scenarios, long seed, boolean keep) {
    this.repo = repo;
    this.scenarios = scenarios;
    this.random = new Random(seed);
    this.keep = keep;
  }

  /** One scenario's line of the report. */
  record Row(
      String scenario,
      int payments,
      int confirmed,
      int lost,
      int duplicated,
      double maxStallSeconds,
      List<String> violations,
      List<String> notes) {
    String line() {
      return String.format(
          "%-24s %8d %9d %5d %10d %14.1f",
          scenario, payments, confirmed, lost, duplicated, maxStallSeconds);
    }
  }

  int run() {
    Instant started = Instant.now();
    Path home;
    try {
      home = Files.createTempDirectory("mpcw-chaos-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Layout layout = new Layout(repo, home, NODES, offset(), ETCD_MEMBERS);
    List<Row> rows = new ArrayList<>();
    // removes rules and cgroups a killed run left, and ours however this run ends (a SIGKILL
    // leaves them to the next run's open)
    NetworkCuts cuts = new NetworkCuts(offset());
    Thread cleanup = new Thread(cuts::close, "chaos-network-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean networkClean = false;
    boolean aborted = false;
    try (ChaosCluster cluster =
        new ChaosCluster(
            layout, Map.of("SPRING_APPLICATION_JSON", ORCHESTRATOR_SETTINGS), openCuts(cuts))) {
      System.out.println(
          "starting PostgreSQL, 5 etcd members, registry, 5 nodes, 2 orchestrators"
              + " (each in its own cgroup of "
              + cuts.table()
              + ")");
      cluster.startInfrastructure();
      cluster.startServices();
      Credentials credentials = cluster.credentials();
      List<OrchestratorApi> replicas =
          cluster.apiUrls().stream()
              .map(url -> new OrchestratorApi(url, credentials.readKey()))
              .toList();
      JsonNode wallet =
          replicas
              .get(0)
              .awaitDefaultWallet(Duration.ofMinutes(2))
              .orElseThrow(() -> new IllegalStateException("the default wallet's DKG failed"));
      String address = wallet.path("address").asText();
      ChainClient chain = ChainClients.of(credentials);
      for (int i = 0; i < 60; i++) {
        chain.sendToAddress(address, 2_000_000);
      }
      chain.mine(1, address);
      String recipient = DemoCommand.randomRecipient();
      PaymentLoad load = new PaymentLoad(replicas, credentials, recipient, 10_000);
      System.out.printf(
          "cluster up in %d s; wallet %s funded with 60 coins%n%n",
          Duration.between(started, Instant.now()).toSeconds(), address);
      System.out.printf(
          "%-24s %8s %9s %5s %10s %14s%n",
          "scenario,", "payments,", "confirmed,", "lost,", "duplicated,", "max stall (s)");
      try (ChaosInvariants invariants =
          new ChaosInvariants(
              credentials,
              layout.etcdEndpoints(),
              // reads only: the orchestrator's read-everything role is enough
              EtcdTlsFiles.inPkiDirectory(layout.pki(), EtcdAccessPolicy.ORCHESTRATOR),
              recipient,
              address,
              NODES)) {
        for (String scenario : scenarios) {
          Row row = scenario(scenario, cluster, load, invariants);
          rows.add(row);
          System.out.println(row.line());
          row.notes().forEach(n -> System.out.println("    " + n));
          row.violations().forEach(v -> System.out.println("    VIOLATION " + v));
        }
        ChaosInvariants.ChainCheck chainCheck = invariants.chain(load.payments());
        System.out.printf(
            "%nchain: %d transactions in blocks; %d payment(s) paid twice; %s%n",
            chainCheck.transactions(),
            chainCheck.duplicated(),
            chainCheck.violations().isEmpty()
                ? "no double spend, no unapproved spend"
                : chainCheck.violations().size() + " violation(s)");
        chainCheck.violations().forEach(v -> System.out.println("    VIOLATION " + v));
        cluster.close();
        cuts.close();
        List<String> left = cuts.leftovers();
        networkClean = left.isEmpty();
        System.out.println(
            networkClean
                ? "network: nothing left behind (nftables table, cgroups checked)"
                : "network: LEFT BEHIND " + left);
        boolean clean =
            networkClean
                && chainCheck.violations().isEmpty()
                && rows.stream().allMatch(r -> r.lost() == 0 && r.violations().isEmpty());
        System.out.printf(
            "%s in %d s: %d payments, %d lost, %d duplicated%n",
            clean ? "PASS" : "FAIL",
            Duration.between(started, Instant.now()).toSeconds(),
            rows.stream().mapToInt(Row::payments).sum(),
            rows.stream().mapToInt(Row::lost).sum(),
            chainCheck.duplicated());
        return clean ? 0 : 1;
      }
    } catch (RuntimeException e) {
      aborted = true;
      System.err.println("chaos run aborted: " + e.getMessage());
      System.err.println("(state and logs kept in " + home + ")");
      return 1;
    } finally {
      cuts.close();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
      if (!keep
          && !aborted
          && rows.stream().allMatch(r -> r.violations().isEmpty() && r.lost() == 0)) {
        UpCommand.deleteRecursively(home);
      } else {
        System.out.println("state and logs: " + home);
      }
    }
  }

  private static NetworkCuts openCuts(NetworkCuts cuts) {
    cuts.open();
    return cuts;
  }

  private static int offset() {
    String env = System.getenv("MPCW_CHAOS_PORT_OFFSET");
    return env == null || env.isBlank() ? DEFAULT_OFFSET : Integer.parseInt(env.trim());
  }

  /** Runs the load for the scenario's window while its fault acts, then drains and checks. */
  private Row scenario(
      String name, ChaosCluster cluster, PaymentLoad load, ChaosInvariants invariants) {
    Fault fault = fault(name, cluster, load);
    fault.before();
    load.takeMaxStall();
    List<PaymentLoad.Payment> mine = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread poller =
        new Thread(
            () -> {
              while (!stop.get()) {
                load.poll();
                Processes.sleep(500);
              }
            },
            "chaos-poll");
    poller.start();
    // a fault that could not play out (e.g. a member that did not come back) tested less than the
    // scenario claims: the run fails and keeps its logs, instead of passing silently
    List<String> faultFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread faults =
        new Thread(
            () -> {
              try {
                fault.during();
              } catch (RuntimeException e) {
                faultFailures.add("the fault did not play out: " + e.getMessage());
              }
            },
            "chaos-fault");
    faults.start();
    // the load runs for the window, and on until the fault has played out
    Instant end = Instant.now().plus(fault.window());
    while (Instant.now().isBefore(end) || faults.isAlive()) {
      mine.add(load.submit(name, Duration.ofMinutes(2)));
      Processes.sleep(SUBMIT_EVERY.toMillis());
    }
    try {
      faults.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    fault.after();
    stop.set(true);
    try {
      poller.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    load.awaitFinal(DRAIN);
    double stall = load.takeMaxStall().toMillis() / 1000.0;
    List<String> violations = invariants.payments(mine);
    violations.addAll(fault.promise(mine));
    violations.addAll(fault.violations());
    violations.addAll(faultFailures);
    int confirmed = (int) mine.stream().filter(p -> p.state().equals("confirmed")).count();
    for (PaymentLoad.Payment p : mine) {
      if (!p.state().equals("confirmed")) {
        violations.add(
            p.key
                + " ended "
                + p.state()
                + ": "
                + Optional.ofNullable(p.last)
                    .map(t -> t.path("state_reason").asText(""))
                    .orElse(""));
      }
    }
    int duplicated = (int) mine.stream().filter(p -> p.ids.size() > 1).count();
    return new Row(
        name,
        mine.size(),
        confirmed,
        mine.size() - confirmed,
        duplicated,
        stall,
        violations,
        fault.notes());
  }

  /** A fault: what to set up, what to do while the payments flow, how to leave things. */
  interface Fault {
    default void before() {}

    void during();

    default void after() {}

    Duration window();

    /** What the fault observed, printed under its line. */
    default List<String> notes() {
      return List.of();
    }

    /** A promise of the scenario that did not hold (the run fails). */
    default List<String> violations() {
      return List.of();
    }

    /**
     * A promise about the scenario's own payments, once they are final: what did not hold (the run
     * fails); what held goes into {@link #notes()}.
     */
    default List<String> promise(List<PaymentLoad.Payment> payments) {
      return List.of();
    }
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

  private Fault fault(String name, ChaosCluster cluster, PaymentLoad load) {
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
      case "slow-signer", "withhold-share" -> faultySigner(name, cluster);
      case "postgres-restart" ->
          timed(
              Duration.ofSeconds(25),
              () -> {
                Processes.sleep(6_000);
                cluster.restartPostgres(Duration.ofSeconds(3));
              });
      default ->
          name.startsWith("byzantine-")
              ? byzantine(name.substring("byzantine-".length()), cluster)
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

  /** f = 1 of 5: node-5 runs in {@code mode} for the whole window, honest again afterwards. */
  private static Fault byzantine(String mode, ChaosCluster cluster) {
    return new Fault() {
      @Override
      public void before() {
        restartNode(
            cluster,
            Map.of("MPCW_NODE_BYZANTINE", mode, "SPRING_PROFILES_ACTIVE", "fault-injection"));
      }

      @Override
      public void during() {}

      @Override
      public void after() {
        restartNode(cluster, Map.of());
      }

      @Override
      public Duration window() {
        return Duration.ofSeconds(15);
      }
    };
  }

  /**
   * One wallet participant (node-5) slow in every signing round, or withholding round 2, for the
   * window. Promise: every payment is signed and none fails; today's signing keeps it by waiting
   * (for the slow answer, or for the request deadline and a new attempt without the signer).
   */
  private static Fault faultySigner(String mode, ChaosCluster cluster) {
    List<String> notes = new ArrayList<>();
    return new Fault() {
      @Override
      public void before() {
        restartNode(
            cluster,
            Map.of("MPCW_NODE_BYZANTINE", mode, "SPRING_PROFILES_ACTIVE", "fault-injection"));
      }

      @Override
      public void during() {}

      @Override
      public void after() {
        restartNode(cluster, Map.of());
      }

      @Override
      public Duration window() {
        return Duration.ofSeconds(30);
      }

      @Override
      public List<String> promise(List<PaymentLoad.Payment> payments) {
        SignerLiveness.Outcome outcome = SignerLiveness.check(payments);
        notes.addAll(outcome.notes());
        return outcome.violations();
      }

      @Override
      public List<String> notes() {
        return notes;
      }
    };
  }

  private static void restartNode(ChaosCluster cluster, Map<String, String> env) {
    cluster.restart("node-5", env);
  }
}
