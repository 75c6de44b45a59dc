package io.mpcw.launcher;

import java.nio.file.Path;

/**
 * Where the local cluster keeps its state, ports and artifacts: everything under {@code .mpcw/} of
 * the repository.
 */
record Layout(Path repo, int nodes) {
  static final int POSTGRES_PORT = 55432;
  static final int ETCD_CLIENT_PORT = 52379;
  static final int REGISTRY_PORT = 8000;
  static final int REGISTRY_MANAGEMENT_PORT = 9000;
  static final int ORCHESTRATOR_PORT = 8081;
  static final int ORCHESTRATOR_MANAGEMENT_PORT = 9081;
  static final int NODE_HTTP_BASE = 8100;
  static final int NODE_QUIC_BASE = 7100;
  static final int CHAIN_RPC_PORT = 18443;

  Path home() {
    return repo.resolve(".mpcw");
  }

  Path data() {
    return home().resolve("data");
  }

  Path logs() {
    return home().resolve("logs");
  }

  Path run() {
    return home().resolve("run");
  }

  Path pki() {
    return home().resolve("pki");
  }

  /** Every identity of the local cluster: the orchestrator, the registry and each node. */
  java.util.List<String> identities() {
    java.util.List<String> names =
        new java.util.ArrayList<>(java.util.List.of("orchestrator", "registry"));
    for (int i = 1; i <= nodes; i++) {
      names.add(nodeId(i));
    }
    return names;
  }

  /** Per-node share encryption keys (one file each, mode 0600), apart from the shares they seal. */
  Path shareKeys() {
    return home().resolve("keys");
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

  String chainRpcUrl() {
    return "http://127.0.0.1:" + CHAIN_RPC_PORT;
  }

  Path credentials() {
    return home().resolve("credentials.env");
  }

  Path infraReady() {
    return run().resolve("infra.ready");
  }

  Path jar(String module) {
    return repo.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT.jar");
  }

  Path launcherJar() {
    return repo.resolve("launcher/target/mpcw-launcher.jar");
  }

  String dbUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + POSTGRES_PORT + "/" + database;
  }

  String etcdEndpoints() {
    return "http://127.0.0.1:" + ETCD_CLIENT_PORT;
  }

  String registryUrl() {
    return "http://127.0.0.1:" + REGISTRY_PORT;
  }

  static String nodeId(int i) {
    return "node-" + i;
  }
}
