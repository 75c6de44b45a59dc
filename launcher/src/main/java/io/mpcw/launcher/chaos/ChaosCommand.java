package io.mpcw.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.launcher.cluster.ChainClients;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.Recipients;
import io.mpcw.launcher.cluster.UpCommand;
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
import java.util.Random;

/**
 * {@code ./mpcw chaos}: the fault-injection suite on real processes. One cluster (5-member etcd, 5
 * nodes, two orchestrator replicas on one database, registry, chain simulator) carries a steady
 * stream of payments while each scenario breaks something (kills a process, or cuts links between
 * processes with {@link NetworkCuts}); then every payment must reach exactly one final state, be
 * paid at most once, and the ledger, history and chain must agree. One line per scenario: {@code
 * scenario, payments, confirmed, lost, duplicated, max stall (s)}, then what the fault observed and
 * whether its liveness promise held.
 */
public final class ChaosCommand {
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
  public static final List<String> SCENARIOS = scenarios();

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

  /** Long enough that the outages below stall payments instead of failing them. */
  private static final String ORCHESTRATOR_SETTINGS =
      "{\"mpcw\":{\"pipeline\":{\"lease-duration\":\"10s\",\"stage-timeouts\":"
          + "{\"pending\":\"300s\",\"voting\":\"180s\",\"approved\":\"180s\",\"signing\":\"180s\"}}}}";

  private final Path repo;
  private final List<String> scenarios;
  private final ChaosFaults faults;
  private final boolean keep;

  public ChaosCommand(Path repo, List<String> scenarios, long seed, boolean keep) {
    this.repo = repo;
    this.scenarios = scenarios;
    this.faults = new ChaosFaults(new Random(seed));
    this.keep = keep;
  }

  public int run() {
    Instant started = Instant.now();
    Path home;
    try {
      home = Files.createTempDirectory("mpcw-chaos-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Layout layout = new Layout(repo, home, NODES, offset(), ETCD_MEMBERS);
    List<ChaosScenario.Row> rows = new ArrayList<>();
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
      String recipient = Recipients.random();
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
          ChaosScenario.Row row =
              ChaosScenario.run(scenario, faults.fault(scenario, cluster, load), load, invariants);
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
            rows.stream().mapToInt(ChaosScenario.Row::payments).sum(),
            rows.stream().mapToInt(ChaosScenario.Row::lost).sum(),
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
}
