package io.mpcw.launcher.cluster;

import io.mpcw.embedded.etcd.EtcdCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a local cluster keeps its state, ports and artifacts. The default is everything under
 * {@code .mpcw/} of the repository on the documented ports; {@code MPCW_HOME} and {@code
 * MPCW_PORT_OFFSET} move a second cluster (a test, {@code ./mpcw simulate}, {@code ./mpcw chaos})
 * beside it without touching the first.
 *
 * @param repo the repository (jars are found under its modules' {@code target/})
 * @param home the cluster's state directory
 * @param nodes how many nodes the cluster has ({@code --nodes}, else {@code MPCW_NODES}, else 5)
 * @param portOffset added to every port below
 * @param etcdMembers 1, or 3 or 5 for a Raft cluster on loopback ({@code MPCW_ETCD_MEMBERS}; the
 *     chaos suite uses 5 to split it 2 | 3)
 */
public record Layout(Path repo, Path home, int nodes, int portOffset, int etcdMembers) {
  static final int POSTGRES_PORT = 55432;
  static final int ETCD_CLIENT_PORT = 52379;
  static final int REGISTRY_PORT = 8000;
  static final int REGISTRY_MANAGEMENT_PORT = 9000;
  static final int ORCHESTRATOR_PORT = 8081;
  static final int ORCHESTRATOR_MANAGEMENT_PORT = 9081;
  static final int NODE_HTTP_BASE = 8100;
  static final int NODE_QUIC_BASE = 7100;
  static final int CHAIN_RPC_PORT = 18443;
  static final int PROMETHEUS_PORT = 9090;

  /**
   * The default layout, moved by {@code MPCW_HOME} / {@code MPCW_PORT_OFFSET} when they are set.
   */
  public Layout(Path repo, int nodes) {
    this(repo, homeFromEnv(repo), nodes, offsetFromEnv(), etcdMembersFromEnv());
  }

  /** A cluster in {@code home} on the ports moved by {@code portOffset}, with one etcd member. */
  public Layout(Path repo, Path home, int nodes, int portOffset) {
    this(repo, home, nodes, portOffset, 1);
  }

  public Layout {
    if (etcdMembers != 1 && etcdMembers != 3 && etcdMembers != 5) {
      throw new IllegalArgumentException("MPCW_ETCD_MEMBERS must be 1, 3 or 5");
    }
  }

  /** The same cluster with another node count (e.g. as counted from its pid files). */
  public Layout withNodes(int count) {
    return new Layout(repo, home, count, portOffset, etcdMembers);
  }

  /** {@code MPCW_NODES}: the node count when {@code --nodes} is not given (default 5). */
  public static int nodesFromEnv() {
    String nodes = System.getenv("MPCW_NODES");
    if (nodes == null || nodes.isBlank()) {
      return 5;
    }
    int value = Integer.parseInt(nodes.trim());
    if (value < 1 || value > 20) {
      throw new IllegalArgumentException("MPCW_NODES must be between 1 and 20");
    }
    return value;
  }

  private static int etcdMembersFromEnv() {
    String members = System.getenv("MPCW_ETCD_MEMBERS");
    return members == null || members.isBlank() ? 1 : Integer.parseInt(members.trim());
  }

  private static Path homeFromEnv(Path repo) {
    String home = System.getenv("MPCW_HOME");
    return home == null || home.isBlank()
        ? repo.resolve(".mpcw")
        : Path.of(home).toAbsolutePath().normalize();
  }

  private static int offsetFromEnv() {
    String offset = System.getenv("MPCW_PORT_OFFSET");
    if (offset == null || offset.isBlank()) {
      return 0;
    }
    int value = Integer.parseInt(offset.trim());
    if (value < 0 || value > 10_000) {
      throw new IllegalArgumentException(
          "MPCW_PORT_OFFSET must be between 0 and 10000 (every port stays below 65536)");
    }
    return value;
  }

  /** What a launcher process started for this cluster needs to find the same layout. */
  java.util.Map<String, String> environment() {
    // the node count too: the infra process makes one etcd user and role per node, and with only
    // MPCW_NODES to go by, `up --nodes 10` gave nodes 6 to 10 no etcd access (every vote refused)
    return java.util.Map.of(
        "MPCW_HOME",
        home.toString(),
        "MPCW_PORT_OFFSET",
        Integer.toString(portOffset),
        "MPCW_ETCD_MEMBERS",
        Integer.toString(etcdMembers),
        "MPCW_NODES",
        Integer.toString(nodes));
  }

  public Path data() {
    return home.resolve("data");
  }

  public Path logs() {
    return home.resolve("logs");
  }

  public Path run() {
    return home.resolve("run");
  }

  public Path pki() {
    return home.resolve("pki");
  }

  /** A path as the user best reads it: relative to the repository when it lies inside. */
  public String show(Path path) {
    return path.startsWith(repo) ? repo.relativize(path).toString() : path.toString();
  }

  /** Every identity of the local cluster: the orchestrator, the registry and each node. */
  List<String> identities() {
    List<String> names = new ArrayList<>(List.of("orchestrator", "registry"));
    names.addAll(nodeIds());
    return names;
  }

  public List<String> nodeIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      ids.add(nodeId(i));
    }
    return ids;
  }

  /** Per-node share encryption keys (one file each, mode 0600), apart from the shares they seal. */
  Path shareKeys() {
    return home.resolve("keys");
  }

  Path shareKey(String nodeId) {
    return shareKeys().resolve(nodeId + ".share-key");
  }

  Path shares(String nodeId) {
    return data().resolve("shares").resolve(nodeId);
  }

  Path chainData() {
    return data().resolve("chain");
  }

  Path credentials() {
    return home.resolve("credentials.env");
  }

  Path infraReady() {
    return run().resolve("infra.ready");
  }

  public Path jar(String module) {
    return repo.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT.jar");
  }

  Path launcherJar() {
    return repo.resolve("launcher/target/mpcw-launcher.jar");
  }

  public int postgresPort() {
    return POSTGRES_PORT + portOffset;
  }

  public int etcdClientPort() {
    return ETCD_CLIENT_PORT + portOffset;
  }

  public int registryPort() {
    return REGISTRY_PORT + portOffset;
  }

  public int registryManagementPort() {
    return REGISTRY_MANAGEMENT_PORT + portOffset;
  }

  public int orchestratorPort() {
    return ORCHESTRATOR_PORT + portOffset;
  }

  public int orchestratorManagementPort() {
    return ORCHESTRATOR_MANAGEMENT_PORT + portOffset;
  }

  public int nodeHttpPort(int i) {
    return NODE_HTTP_BASE + i + portOffset;
  }

  public int nodeQuicPort(int i) {
    return NODE_QUIC_BASE + i + portOffset;
  }

  public int chainRpcPort() {
    return CHAIN_RPC_PORT + portOffset;
  }

  int prometheusPort() {
    return PROMETHEUS_PORT + portOffset;
  }

  String chainRpcUrl() {
    return "http://127.0.0.1:" + chainRpcPort();
  }

  public String orchestratorUrl() {
    return "http://127.0.0.1:" + orchestratorPort();
  }

  String dbUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/" + database;
  }

  /**
   * Every member's client URL (members use consecutive client/peer port pairs); TLS, and etcd
   * authenticates each client by its certificate from {@link #pki()}.
   */
  public String etcdEndpoints() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < etcdMembers; i++) {
      urls.add("https://127.0.0.1:" + (etcdClientPort() + 2 * i));
    }
    return String.join(",", urls);
  }

  /** Every member's plain-HTTP metrics address (host:port), what Prometheus scrapes. */
  public List<String> etcdMetricsTargets() {
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < etcdMembers; i++) {
      targets.add("127.0.0.1:" + (etcdClientPort() + EtcdCluster.METRICS_PORT_SHIFT + i));
    }
    return targets;
  }

  String registryUrl() {
    return "http://127.0.0.1:" + registryPort();
  }

  public static String nodeId(int i) {
    return "node-" + i;
  }
}
