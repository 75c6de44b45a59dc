package io.mpcw.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code ./mpcw up}: starts the local cluster as separate processes and waits until healthy. */
public final class UpCommand {
  private static final Duration INFRA_TIMEOUT = Duration.ofSeconds(90);

  /** How long services may take to become healthy; {@code MPCW_UP_TIMEOUT} (seconds) changes it. */
  private static final Duration SERVICES_TIMEOUT = Duration.ofSeconds(180);

  private static final Duration WALLET_TIMEOUT = Duration.ofSeconds(60);

  private final Layout layout;
  private final boolean fresh;
  private final ClusterOverrides overrides;

  public UpCommand(Layout layout, boolean fresh) {
    this(layout, fresh, ClusterOverrides.none());
  }

  public UpCommand(Layout layout, boolean fresh, ClusterOverrides overrides) {
    this.layout = layout;
    this.fresh = fresh;
    this.overrides = overrides;
  }

  public int run() {
    Instant started = Instant.now();
    try {
      Processes.serviceJvmOptions(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    if (fresh) {
      new DownCommand(layout).run();
      deleteRecursively(layout.data());
      deleteRecursively(layout.logs());
    } else if (everythingRuns()) {
      System.out.println(
          "mpc-wallet is already running; './mpcw status' shows it, './mpcw down' stops it.");
      return 0;
    }
    PkiCommand.init(layout, overrides.banner());
    boolean[] created = new boolean[1];
    Credentials credentials = Credentials.loadOrCreate(layout, created);
    for (ServiceSpec s : ServiceSpec.cluster(layout, credentials)) {
      if (!Files.exists(layout.jar(s.module()))) {
        System.err.println("missing " + layout.jar(s.module()) + ": build first (./mpcw up does)");
        return 1;
      }
    }

    if (Processes.running(layout, "infra").isEmpty()) {
      System.out.println("starting PostgreSQL 17 (embedded) and etcd ...");
      try {
        Files.deleteIfExists(layout.infraReady());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Processes.start(
          layout,
          "infra",
          Processes.javaCommand(
              "-Xmx256m -Dmpcw.repo=" + layout.repo(),
              "-jar",
              layout.launcherJar().toString(),
              "infra"),
          layout.environment());
      if (!Processes.await(INFRA_TIMEOUT, () -> Files.exists(layout.infraReady()))) {
        return fail("infra");
      }
    }

    List<ServiceSpec> services =
        ServiceSpec.cluster(layout, credentials).stream().map(overrides::apply).toList();
    System.out.println(
        "starting the registry, " + layout.nodes() + " nodes and the orchestrator ...");
    for (ServiceSpec s : services) {
      if (Processes.running(layout, s.name()).isEmpty()) {
        Processes.startService(layout, s, Map.of());
      }
    }
    List<ServiceSpec> pending = new ArrayList<>(services);
    // full JIT tiers on a busy machine can need more than the default
    Instant deadline = Instant.now().plus(servicesTimeout());
    while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
      for (ServiceSpec s : List.copyOf(pending)) {
        if (Processes.running(layout, s.name()).isEmpty()) {
          return fail(s.name());
        }
        if (Health.isUp(s.healthUrl())) {
          pending.remove(s);
        }
      }
      Processes.sleep(500);
    }
    if (!pending.isEmpty()) {
      return fail(pending.get(0).name());
    }
    Optional<String> prometheus =
        overrides.prometheus() ? startPrometheus(credentials) : Optional.empty();
    Duration took = Duration.between(started, Instant.now());
    // the default wallet's DKG runs in the orchestrator once the nodes are registered
    System.out.println("waiting for the default wallet's DKG ...");
    Optional<String> address =
        OrchestratorApi.local(layout, credentials)
            .awaitDefaultWallet(WALLET_TIMEOUT)
            .map(w -> w.path("address").asText());
    if (overrides.banner()) {
      print(credentials, created[0], took, address);
      System.out.println(prometheus.orElse(""));
    } else {
      System.out.println("cluster up in " + took.toSeconds() + " s");
    }
    return 0;
  }

  /** Starts Debian's Prometheus on the cluster's scrape targets when it is installed. */
  private Optional<String> startPrometheus(Credentials credentials) {
    LocalPrometheus prometheus = new LocalPrometheus(layout, credentials.simulatedChain(layout));
    Optional<java.nio.file.Path> binary = LocalPrometheus.binary();
    if (binary.isEmpty()) {
      return Optional.of(
          "\nPrometheus is not installed (apt-get install -y prometheus): the services' metrics"
              + " are still at their /actuator/prometheus endpoints.");
    }
    if (Processes.running(layout, LocalPrometheus.NAME).isEmpty()) {
      prometheus.start(binary.get());
    }
    if (!Processes.await(Duration.ofSeconds(30), prometheus::healthy)) {
      return Optional.of(
          "\nPrometheus did not become ready; see "
              + layout.show(Processes.log(layout, LocalPrometheus.NAME)));
    }
    return Optional.of(
        "\nPrometheus      "
            + prometheus.url()
            + "/targets   (scrapes every service and etcd every 5 s)");
  }

  private void print(
      Credentials credentials, boolean firstRun, Duration took, Optional<String> address) {
    System.out.printf(
        """

        mpc-wallet is up: registry, %d nodes, orchestrator (%d s)
          API            http://127.0.0.1:%d/api/v1/transactions   (OpenAPI: /v3/api-docs)
          cluster nodes  http://127.0.0.1:%d/api/v1/cluster/nodes
          wallets        http://127.0.0.1:%d/api/v1/wallets
          metrics        http://127.0.0.1:%d/actuator/prometheus (orchestrator), :%d (registry), :%d.. (nodes)
          chain RPC      %s  (%s; bitcoind JSON-RPC subset, user in credentials)
          PostgreSQL     %s  (user postgres)
          etcd           %s
          logs           %s
          credentials    %s
        """,
        layout.nodes(),
        took.toSeconds(),
        layout.orchestratorPort(),
        layout.orchestratorPort(),
        layout.orchestratorPort(),
        layout.orchestratorManagementPort(),
        layout.registryManagementPort(),
        layout.nodeHttpPort(1),
        credentials.chainRpcUrl(),
        credentials.simulatedChain(layout) ? "chain simulator" : "external bitcoind",
        layout.dbUrl("orchestrator"),
        layout.etcdEndpoints(),
        layout.show(layout.logs()),
        layout.show(layout.credentials()));
    if (firstRun) {
      System.out.println("\nAPI keys created on this first run (also in .mpcw/credentials.env):");
      System.out.println("  MPCW_SUBMIT_KEY=" + credentials.submitKey());
      System.out.println("  MPCW_READ_KEY=" + credentials.readKey());
    }
    System.out.println(
        address
            .map(
                a ->
                    "\nDefault wallet ("
                        + ServiceSpec.defaultWalletThreshold(layout.nodes())
                        + " of "
                        + layout.nodes()
                        + ", made by DKG): "
                        + a)
            .orElse(
                "\nThe default wallet's DKG has not finished yet (see "
                    + layout.logs().resolve("orchestrator.log")
                    + "); GET /api/v1/wallets shows it."));
    System.out.printf(
        """

        Try:
          source %s
          ./mpcw fund default 100000000          # the simulator's faucet pays the default wallet
          curl -s -X POST -H "Authorization: Bearer $MPCW_SUBMIT_KEY" -H 'Content-Type: application/json' \\
            -d '{"recipient":"bcrt1p...","amount_sats":42000}' http://127.0.0.1:%d/api/v1/transactions
        """,
        layout.credentials(), layout.orchestratorPort());
  }

  /** Infrastructure and every service run: nothing to start (else only the missing ones start). */
  private boolean everythingRuns() {
    if (!Files.exists(layout.credentials()) || Processes.running(layout, "infra").isEmpty()) {
      return false;
    }
    Credentials credentials = Credentials.loadOrCreate(layout, new boolean[1]);
    return ServiceSpec.cluster(layout, credentials).stream()
        .allMatch(s -> Processes.running(layout, s.name()).isPresent());
  }

  static Duration servicesTimeout() {
    String seconds = System.getenv("MPCW_UP_TIMEOUT");
    return seconds == null || !seconds.trim().matches("[0-9]{1,6}")
        ? SERVICES_TIMEOUT
        : Duration.ofSeconds(Math.max(10, Long.parseLong(seconds.trim())));
  }

  private int fail(String name) {
    System.err.println("\n" + name + " did not become healthy. Last lines of its log:\n");
    System.err.println(Processes.tail(layout, name, 30));
    System.err.println(
        "\n(full log: " + Processes.log(layout, name) + "; stopping what was started)");
    new DownCommand(layout).run();
    return 1;
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
