package io.mpcw.launcher.chaos;

import io.mpcw.embedded.etcd.EtcdBinary;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.embedded.postgres.PostgresServer;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Health;
import io.mpcw.launcher.cluster.InfraCommand;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.PkiCommand;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.cluster.ServiceSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster a chaos run breaks: PostgreSQL and a 5-member etcd owned by this process (so members
 * can be killed and brought back), and every service as its own process, started exactly as {@code
 * ./mpcw up} starts them, plus a second orchestrator replica on the same database. Every process
 * joins its own cgroup of {@link NetworkCuts} as it starts, so the links between any two of them
 * can be cut.
 */
final class ChaosCluster implements AutoCloseable {
  static final String SECOND_ORCHESTRATOR = "orchestrator-2";
  static final String POSTGRES = "postgres";

  private final Layout layout;
  private final Credentials credentials;
  private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
  private final NetworkCuts cuts;
  private PostgresServer postgres;
  private EtcdCluster etcd;

  ChaosCluster(Layout layout, Map<String, String> orchestratorEnv, NetworkCuts cuts) {
    this.layout = layout;
    this.cuts = cuts;
    PkiCommand.init(layout, false);
    this.credentials = Credentials.loadOrCreate(layout, new boolean[1]);
    for (ServiceSpec spec : ServiceSpec.cluster(layout, credentials)) {
      if (spec.name().equals("orchestrator")) {
        Map<String, String> env = new HashMap<>(spec.env());
        env.putAll(orchestratorEnv);
        spec = new ServiceSpec(spec.name(), spec.module(), Map.copyOf(env), spec.healthUrl());
        services.put(spec.name(), spec);
        services.put(SECOND_ORCHESTRATOR, secondReplica(spec));
      } else {
        services.put(spec.name(), spec);
      }
    }
    declarePorts();
  }

  /** What each process listens on: a cut to it drops what others send there. */
  private void declarePorts() {
    cuts.listens(POSTGRES, NetworkCuts.Ports.tcp(layout.postgresPort()));
    for (int i = 0; i < layout.etcdMembers(); i++) {
      int client = layout.etcdClientPort() + 2 * i;
      cuts.listens(
          "etcd-" + i,
          NetworkCuts.Ports.tcp(
              client, client + 1, layout.etcdClientPort() + EtcdCluster.METRICS_PORT_SHIFT + i));
    }
    cuts.listens("chain", NetworkCuts.Ports.tcp(layout.chainRpcPort()));
    cuts.listens(
        "registry", NetworkCuts.Ports.tcp(layout.registryPort(), layout.registryManagementPort()));
    for (int i = 1; i <= layout.nodes(); i++) {
      cuts.listens(
          Layout.nodeId(i),
          new NetworkCuts.Ports(Set.of(layout.nodeHttpPort(i)), Set.of(layout.nodeQuicPort(i))));
    }
    cuts.listens(
        "orchestrator",
        NetworkCuts.Ports.tcp(layout.orchestratorPort(), layout.orchestratorManagementPort()));
    cuts.listens(
        SECOND_ORCHESTRATOR,
        NetworkCuts.Ports.tcp(
            layout.orchestratorPort() + 1, layout.orchestratorManagementPort() + 1));
  }

  NetworkCuts cuts() {
    return cuts;
  }

  /** The name of every etcd member, as {@link NetworkCuts} knows it. */
  List<String> etcdNames() {
    return etcd.members().stream().map(EtcdMember::name).toList();
  }

  /** The same orchestrator on the next ports: it shares the database and splits the work. */
  private ServiceSpec secondReplica(ServiceSpec first) {
    Map<String, String> env = new HashMap<>(first.env());
    env.put("MPCW_ORCHESTRATOR_PORT", Integer.toString(layout.orchestratorPort() + 1));
    env.put(
        "MPCW_ORCHESTRATOR_MANAGEMENT_PORT",
        Integer.toString(layout.orchestratorManagementPort() + 1));
    return new ServiceSpec(
        SECOND_ORCHESTRATOR,
        first.module(),
        Map.copyOf(env),
        "http://127.0.0.1:" + (layout.orchestratorManagementPort() + 1) + "/actuator/health");
  }

  Layout layout() {
    return layout;
  }

  Credentials credentials() {
    return credentials;
  }

  /** The API of each orchestrator replica. */
  List<String> apiUrls() {
    return List.of(layout.orchestratorUrl(), "http://127.0.0.1:" + (layout.orchestratorPort() + 1));
  }

  void startInfrastructure() {
    postgres = startPostgres();
    postgres.ensureDatabase("orchestrator");
    postgres.ensureDatabase("registry");
    etcd =
        InfraCommand.startEtcd(
            layout,
            layout.etcdMembers(),
            cuts.wrapper(layout.run(), EtcdBinary.locate(), "--name"));
    etcd.members().forEach(this::joinCgroup);
  }

  private PostgresServer startPostgres() {
    PostgresServer server =
        PostgresServer.startEmbedded(
            Optional.of(layout.data().resolve("postgres")), layout.postgresPort());
    // the postmaster's pid is the first line of its pid file; backends forked later inherit its
    // cgroup, the ones already running are moved with it
    try {
      String pid =
          java.nio.file.Files.readAllLines(
                  layout.data().resolve("postgres").resolve("postmaster.pid"))
              .get(0)
              .trim();
      cuts.join(POSTGRES, Long.parseLong(pid));
    } catch (java.io.IOException | RuntimeException e) {
      server.close();
      throw new IllegalStateException("cannot find PostgreSQL's pid: " + e.getMessage(), e);
    }
    return server;
  }

  private void joinCgroup(EtcdMember member) {
    member.pid().ifPresent(pid -> cuts.join(member.name(), pid));
  }

  /** Starts every service and waits until each answers its health check. */
  void startServices() {
    services.keySet().forEach(this::start);
    services.keySet().forEach(n -> awaitHealthy(n, Duration.ofMinutes(3)));
  }

  void start(String name) {
    start(name, Map.of());
  }

  /** Starts {@code name} with {@code extra} variables on top of its usual ones. */
  void start(String name, Map<String, String> extra) {
    long pid = Processes.startService(layout, services.get(name), extra);
    cuts.join(name, pid);
  }

  /**
   * Kills {@code name} and starts it again with {@code extra} environment (a fault switched on, or
   * off with an empty map), then waits until it is healthy and a few seconds more, so that it is
   * registered and listed again before the payments rely on it.
   */
  void restart(String name, Map<String, String> extra) {
    kill(name);
    start(name, extra);
    awaitHealthy(name, Duration.ofMinutes(3));
    Processes.sleep(3_000);
  }

  boolean running(String name) {
    return Processes.running(layout, name).isPresent();
  }

  /** SIGKILL: a crash, with no shutdown hook and no deregistration. */
  void kill(String name) {
    Processes.running(layout, name)
        .ifPresent(
            h -> {
              h.destroyForcibly();
              Processes.await(Duration.ofSeconds(20), () -> !h.isAlive());
            });
  }

  String healthUrl(String name) {
    return services.get(name).healthUrl();
  }

  /** The sum of every sample of {@code metric} on {@code name} ({@link Health#metric}). */
  double metric(String name, String metric) {
    return Health.metric(healthUrl(name), metric);
  }

  void awaitHealthy(String name, Duration timeout) {
    String url = services.get(name).healthUrl();
    if (!Processes.await(timeout, () -> Health.isUp(url))) {
      throw new IllegalStateException(
          name + " did not become healthy:\n" + Processes.tail(layout, name, 20));
    }
  }

  /**
   * Each running node's membership mode ({@code /actuator/membership}) and where the first
   * orchestrator replica gets its node list from, e.g. {@code nodes peer 5/5, orchestrator peers}.
   */
  String membershipModes() {
    int peer = 0;
    int asked = 0;
    for (int i = 1; i <= layout.nodes(); i++) {
      Optional<com.fasterxml.jackson.databind.JsonNode> m =
          Health.json("http://127.0.0.1:" + layout.nodeHttpPort(i) + "/actuator/membership");
      if (m.isPresent()) {
        asked++;
        peer += m.get().path("mode").asText().equals("peer") ? 1 : 0;
      }
    }
    String source =
        Health.header(
                layout.orchestratorUrl() + "/api/v1/cluster/nodes",
                credentials.readKey(),
                "X-Mpcw-Membership-Source")
            .orElse("?");
    return "nodes in peer mode "
        + peer
        + "/"
        + asked
        + ", orchestrator's membership from "
        + source;
  }

  /** The nodes whose {@code /actuator/membership} answers {@code peer}. */
  Set<String> nodesInPeerMode() {
    Set<String> peer = new java.util.TreeSet<>();
    for (int i = 1; i <= layout.nodes(); i++) {
      if (Health.json("http://127.0.0.1:" + layout.nodeHttpPort(i) + "/actuator/membership")
          .map(m -> m.path("mode").asText().equals("peer"))
          .orElse(false)) {
        peer.add(Layout.nodeId(i));
      }
    }
    return peer;
  }

  List<EtcdMember> etcdMembers() {
    return etcd.members();
  }

  Optional<EtcdMember> etcdLeader() {
    return etcd.leader();
  }

  void restartEtcd(EtcdMember member) {
    etcd.restart(member);
    joinCgroup(member);
  }

  /**
   * Stops PostgreSQL (services see their connections break), waits, starts it on its data again.
   */
  void restartPostgres(Duration down) {
    postgres.close();
    Processes.sleep(down.toMillis());
    postgres = startPostgres();
  }

  @Override
  public void close() {
    List<String> names = new java.util.ArrayList<>(services.keySet());
    java.util.Collections.reverse(names);
    names.parallelStream().forEach(n -> Processes.stop(layout, n, Duration.ofSeconds(15)));
    if (etcd != null) {
      etcd.close();
      etcd = null;
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
