package io.mpcw.launcher.fuzz;

import io.mpcw.hostile.FuzzRun;
import io.mpcw.hostile.HostileRequests;
import io.mpcw.hostile.HostileRequests.JsonPost;
import io.mpcw.hostile.ResponseCheck;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Layout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP surfaces of a running local cluster, each with the hostile requests that fit it: the
 * orchestrator API (with the submit key, so requests get past authentication), the registry API
 * (unsigned: everything must be refused), every management port and the chain's JSON-RPC.
 */
final class RestFuzz {
  /** A regtest Taproot address: bodies are valid in every field but the one mutated. */
  private static final String ADDRESS =
      "bcrt1pqypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwxqergd3c8g7rusq58nmtx";

  private static final List<String> ACTUATOR =
      List.of("/actuator/health", "/actuator/prometheus", "/actuator/info");

  /** One surface: where it listens, what to send, how it answers errors. */
  record Surface(HostileRequests requests, int port, ResponseCheck.Dialect dialect) {
    FuzzRun run() {
      return new FuzzRun(requests, port, dialect);
    }
  }

  private RestFuzz() {}

  static List<Surface> surfaces(Layout layout, Credentials credentials) {
    List<Surface> surfaces = new ArrayList<>();
    surfaces.add(
        new Surface(orchestrator(credentials.submitKey()), layout.orchestratorPort(), problem()));
    surfaces.add(new Surface(registry(), layout.registryPort(), problem()));
    surfaces.add(
        new Surface(
            management("orchestrator-management"), layout.orchestratorManagementPort(), problem()));
    surfaces.add(
        new Surface(management("registry-management"), layout.registryManagementPort(), problem()));
    for (int i = 1; i <= layout.nodes(); i++) {
      surfaces.add(
          new Surface(management("node-" + i + "-http"), layout.nodeHttpPort(i), problem()));
    }
    surfaces.add(
        new Surface(chain(credentials), layout.chainRpcPort(), ResponseCheck.Dialect.JSON_RPC));
    return surfaces;
  }

  private static ResponseCheck.Dialect problem() {
    return ResponseCheck.Dialect.PROBLEM;
  }

  static HostileRequests orchestrator(String submitKey) {
    return new HostileRequests(
        "orchestrator-api",
        Optional.of("Bearer " + submitKey),
        List.of(
            new JsonPost(
                "/api/v1/transactions",
                HostileRequests.fields("recipient", "\"" + ADDRESS + "\"", "amount_sats", "1000"),
                "recipient",
                Optional.of("amount_sats")),
            new JsonPost(
                "/api/v1/wallets",
                HostileRequests.fields("name", "\"fuzz-wallet\"", "threshold", "2"),
                "name",
                Optional.of("threshold"))),
        List.of("/api/v1/transactions", "/api/v1/wallets", "/api/v1/cluster/nodes"),
        List.of("/api/v1/transactions"));
  }

  static HostileRequests registry() {
    return new HostileRequests(
        "registry-api",
        Optional.empty(),
        List.of(
            new JsonPost(
                "/api/v1/cluster/nodes",
                HostileRequests.fields(
                    "node_id", "\"node-fuzz\"",
                    "quic_address", "\"127.0.0.1:1\"",
                    "management_url", "\"http://127.0.0.1:1\"",
                    "version", "\"0\""),
                "node_id",
                Optional.empty())),
        List.of("/api/v1/cluster/nodes", "/api/v1/cluster/nodes/node-1/heartbeat"),
        List.of());
  }

  static HostileRequests management(String name) {
    return new HostileRequests(name, Optional.empty(), List.of(), ACTUATOR, List.of());
  }

  /** JSON-RPC calls that must fail: the base call has a parameter of the wrong type. */
  static HostileRequests chain(Credentials credentials) {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (credentials.chainUser() + ":" + credentials.chainPassword())
                    .getBytes(StandardCharsets.UTF_8));
    return new HostileRequests(
        "chain-rpc",
        Optional.of("Basic " + basic),
        List.of(
            new JsonPost(
                "/",
                HostileRequests.fields(
                    "jsonrpc", "\"1.0\"",
                    "id", "1",
                    "method", "\"getblockhash\"",
                    "params", "[\"not-a-height\"]"),
                "method",
                Optional.of("id"))),
        List.of("/", "/wallet/default", "/health", "/metrics"),
        List.of());
  }
}
