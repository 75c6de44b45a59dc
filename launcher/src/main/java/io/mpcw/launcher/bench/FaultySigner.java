package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Health;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.cluster.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --faulty-signer}: one wallet participant of the running cluster restarted in a signing
 * fault mode of the node's fault switch for a bench, and restarted honest afterwards. {@code none}
 * restarts it honest, so that every mode's run starts with the same freshly started node.
 */
final class FaultySigner {

  /** The bench's names, in the order the help lists them, and the node's mode for each. */
  static final Map<String, String> MODES =
      Map.of(
          "none", "none",
          "silent", "silent",
          "slow", "slow-signer",
          "bad-share", "bad-share",
          "withhold-share", "withhold-share");

  static final List<String> NAMES =
      List.of("none", "silent", "slow", "bad-share", "withhold-share");

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration LISTED_TIMEOUT = Duration.ofSeconds(60);

  private final Layout layout;
  private final Credentials credentials;
  private final OrchestratorApi api;
  private final String name;
  private final String node;

  private FaultySigner(Layout layout, Credentials credentials, String name, String node) {
    this.layout = layout;
    this.credentials = credentials;
    this.api = OrchestratorApi.local(layout, credentials);
    this.name = name;
    this.node = node;
  }

  /**
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  static String checked(String name) {
    if (!MODES.containsKey(name)) {
      throw new IllegalArgumentException("--faulty-signer takes one of " + NAMES + ", not " + name);
    }
    return name;
  }

  /** The last of the wallet's participants (node-5 of the default five) plays the fault. */
  static FaultySigner of(Layout layout, Credentials credentials, String name, JsonNode wallet) {
    String chosen = null;
    for (JsonNode p : wallet.path("participants")) {
      String id = p.isTextual() ? p.asText() : p.path("node_id").asText();
      if (chosen == null || number(id) > number(chosen)) {
        chosen = id;
      }
    }
    if (chosen == null) {
      throw new IllegalStateException("the default wallet lists no participants");
    }
    return new FaultySigner(layout, credentials, checked(name), chosen);
  }

  private static int number(String nodeId) {
    try {
      return Integer.parseInt(nodeId.substring(nodeId.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  String node() {
    return node;
  }

  /** The node's spelling of the mode, e.g. {@code slow-signer}. */
  String mode() {
    return MODES.get(name);
  }

  /** Restarts the node in the mode and waits until the cluster lists it again. */
  void inject() {
    restart(
        name.equals("none")
            ? Map.of()
            : Map.of("MPCW_NODE_BYZANTINE", mode(), "SPRING_PROFILES_ACTIVE", "fault-injection"));
  }

  /** Restarts the node honest, as {@code ./mpcw up} runs it. */
  void heal() {
    restart(Map.of());
  }

  private void restart(Map<String, String> extra) {
    ServiceSpec spec =
        ServiceSpec.cluster(layout, credentials).stream()
            .filter(s -> s.name().equals(node))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException(node + " is not a service of this cluster"));
    Map<String, String> env = new HashMap<>(spec.env());
    env.putAll(extra);
    // the JVM options it runs with (./mpcw up's profile), not this shell's: the bench compares
    // runs, and a node restarted with other JIT settings would be a second difference
    String jvm =
        Processes.running(layout, node)
            .map(h -> String.join(" ", ProcFs.jvmOptions(ProcFs.commandLine(h.pid()))))
            .orElseGet(() -> Processes.serviceJvmOptions(System.getenv(), spec.module()));
    System.out.printf(
        "restarting %s %s ...%n",
        node, extra.isEmpty() ? "honest" : "as " + extra.get("MPCW_NODE_BYZANTINE"));
    Processes.stop(layout, node, Duration.ofSeconds(15));
    Instant restarted = Instant.now();
    Processes.start(
        layout,
        node,
        Processes.javaCommand(jvm, "-jar", layout.jar(spec.module()).toString()),
        env);
    if (!Processes.await(START_TIMEOUT, () -> Health.isUp(spec.healthUrl()))) {
      throw new IllegalStateException(
          node + " did not become healthy:\n" + Processes.tail(layout, node, 20));
    }
    // the orchestrator picks signers from the registry's active nodes: wait for a heartbeat of
    // the new process, so the run does not start while the node is missing from the choice
    if (!Processes.await(LISTED_TIMEOUT, () -> heartbeatAfter(restarted))) {
      throw new IllegalStateException(node + " was not listed active again after its restart");
    }
  }

  private boolean heartbeatAfter(Instant restarted) {
    Optional<JsonNode> nodes = api.get("/api/v1/cluster/nodes");
    if (nodes.isEmpty()) {
      return false;
    }
    JsonNode list = nodes.get().isArray() ? nodes.get() : nodes.get().path("nodes");
    for (JsonNode n : list) {
      if (n.path("node_id").asText().equals(node)) {
        String beat = n.path("last_heartbeat").asText("");
        return n.path("status").asText().equals("active")
            && !beat.isEmpty()
            && Instant.parse(beat).isAfter(restarted);
      }
    }
    return false;
  }
}
