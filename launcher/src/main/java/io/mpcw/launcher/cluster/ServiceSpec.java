package io.mpcw.launcher.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One service process of the local cluster: how to start it and how to tell it is healthy. */
public record ServiceSpec(String name, String module, Map<String, String> env, String healthUrl) {

  /** The registry, the nodes and the orchestrator, wired to the local infrastructure. */
  public static List<ServiceSpec> cluster(Layout layout, Credentials credentials) {
    List<ServiceSpec> services = new ArrayList<>();
    if (credentials.simulatedChain(layout)) {
      services.add(
          new ServiceSpec(
              "chain",
              "chain-simulator",
              Map.of(
                  "MPCW_CHAIN_RPC_PORT", Integer.toString(layout.chainRpcPort()),
                  "MPCW_CHAIN_RPC_USER", credentials.chainUser(),
                  "MPCW_CHAIN_RPC_PASSWORD", credentials.chainPassword(),
                  "MPCW_CHAIN_DATA_DIR", layout.chainData().toString(),
                  "MPCW_CHAIN_BLOCK_INTERVAL",
                      System.getenv().getOrDefault("MPCW_CHAIN_BLOCK_INTERVAL", "2s")),
              layout.chainRpcUrl() + "/health"));
    }
    services.add(
        new ServiceSpec(
            "registry",
            "registry-service",
            Map.of(
                "MPCW_REGISTRY_DB_URL", layout.dbUrl("registry"),
                "MPCW_PKI_DIR", layout.pki().toString(),
                "SERVER_PORT", Integer.toString(layout.registryPort()),
                "MANAGEMENT_SERVER_PORT", Integer.toString(layout.registryManagementPort())),
            "http://127.0.0.1:" + layout.registryManagementPort() + "/actuator/health"));
    for (int i = 1; i <= layout.nodes(); i++) {
      int http = layout.nodeHttpPort(i);
      services.add(
          new ServiceSpec(
              Layout.nodeId(i),
              "node-service",
              Map.of(
                  "MPCW_NODE_ID", Layout.nodeId(i),
                  "MPCW_PKI_DIR", layout.pki().toString(),
                  "MPCW_NODE_HTTP_PORT", Integer.toString(http),
                  "MPCW_NODE_QUIC_ADDRESS", "127.0.0.1:" + layout.nodeQuicPort(i),
                  "MPCW_REGISTRY_URL", layout.registryUrl(),
                  "MPCW_ETCD_ENDPOINTS", layout.etcdEndpoints(),
                  "MPCW_SHARE_KEY_FILE", Credentials.shareKey(layout, Layout.nodeId(i)).toString(),
                  "MPCW_NODE_SHARES_DIR", layout.shares(Layout.nodeId(i)).toString(),
                  "MPCW_MIN_APPROVALS", Integer.toString(defaultThreshold(layout.nodes()))),
              "http://127.0.0.1:" + http + "/actuator/health"));
    }
    services.add(
        new ServiceSpec(
            "orchestrator",
            "orchestrator-service",
            Map.ofEntries(
                Map.entry("MPCW_DB_URL", layout.dbUrl("orchestrator")),
                Map.entry("MPCW_ORCHESTRATOR_PORT", Integer.toString(layout.orchestratorPort())),
                Map.entry(
                    "MPCW_ORCHESTRATOR_MANAGEMENT_PORT",
                    Integer.toString(layout.orchestratorManagementPort())),
                Map.entry("MPCW_PKI_DIR", layout.pki().toString()),
                Map.entry("MPCW_REGISTRY_URL", layout.registryUrl()),
                Map.entry("MPCW_ETCD_ENDPOINTS", layout.etcdEndpoints()),
                Map.entry("MPCW_TOTAL_NODES", Integer.toString(layout.nodes())),
                Map.entry("MPCW_THRESHOLD", Integer.toString(defaultThreshold(layout.nodes()))),
                Map.entry(
                    "MPCW_WALLET_THRESHOLD",
                    Integer.toString(defaultWalletThreshold(layout.nodes()))),
                Map.entry("MPCW_CHAIN_RPC_URL", credentials.chainRpcUrl()),
                Map.entry("MPCW_CHAIN_RPC_USER", credentials.chainUser()),
                Map.entry("MPCW_CHAIN_RPC_PASSWORD", credentials.chainPassword()),
                Map.entry("MPCW_API_KEYS_0_NAME", "local-submit"),
                Map.entry("MPCW_API_KEYS_0_ROLE", "submit"),
                Map.entry("MPCW_API_KEYS_0_SHA256", Credentials.sha256Hex(credentials.submitKey())),
                Map.entry("MPCW_API_KEYS_1_NAME", "local-read"),
                Map.entry("MPCW_API_KEYS_1_ROLE", "read"),
                Map.entry("MPCW_API_KEYS_1_SHA256", Credentials.sha256Hex(credentials.readKey()))),
            "http://127.0.0.1:" + layout.orchestratorManagementPort() + "/actuator/health"));
    return services;
  }

  /** The seeds' 4 of 5; in general n − f with f = ⌊(n − 1) / 3⌋, and at least 1. */
  public static int defaultThreshold(int nodes) {
    return Math.max(1, nodes - (nodes - 1) / 3);
  }

  /**
   * The default wallet's signing threshold: 3 of 5, in general ⌈n / 2⌉ (5 of 10), at least 2 (the
   * API's minimum) and at most n. It stays above f, so f faulty nodes cannot sign alone, and at or
   * below n − f, so the honest nodes can always sign.
   */
  static int defaultWalletThreshold(int nodes) {
    return Math.min(nodes, Math.max(2, (nodes + 1) / 2));
  }
}
