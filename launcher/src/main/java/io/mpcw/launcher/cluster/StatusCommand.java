package io.mpcw.launcher.cluster;

import java.util.List;

/** {@code ./mpcw status}: each process, whether it runs, and whether its health check passes. */
public final class StatusCommand {
  private final Layout layout;

  public StatusCommand(Layout layout) {
    this.layout = layout;
  }

  public int run() {
    List<String> names = Processes.known(layout);
    if (names.isEmpty()) {
      System.out.println("nothing is running (start it with ./mpcw up)");
      return 1;
    }
    boolean[] credentialsCreated = new boolean[1];
    Credentials credentials = Credentials.loadOrCreate(layout, credentialsCreated);
    int nodes = (int) names.stream().filter(n -> n.startsWith("node-")).count();
    List<ServiceSpec> services = ServiceSpec.cluster(layout.withNodes(nodes), credentials);
    System.out.printf(
        "%-14s %-8s %-10s %-6s %s%n", "PROCESS", "PID", "STATE", "HEALTH", "MEMBERSHIP");
    boolean allHealthy = true;
    for (String name : names) {
      var handle = Processes.running(layout, name);
      String health =
          services.stream()
              .filter(s -> s.name().equals(name))
              .findFirst()
              .map(s -> Health.isUp(s.healthUrl()) ? "up" : "DOWN")
              .or(() -> prometheusHealth(name, credentials))
              .orElse(handle.isPresent() ? "-" : "DOWN");
      allHealthy &= handle.isPresent() && !health.equals("DOWN");
      System.out.printf(
          "%-14s %-8s %-10s %-6s %s%n",
          name,
          handle.map(h -> Long.toString(h.pid())).orElse("-"),
          handle.isPresent() ? "running" : "stopped",
          health,
          name.startsWith("node-") && handle.isPresent() ? membership(name) : "");
    }
    return allHealthy ? 0 : 1;
  }

  /** A node's membership: registry or peer mode, and its peers by status. */
  private String membership(String node) {
    int i = Integer.parseInt(node.substring("node-".length()));
    return Health.json("http://127.0.0.1:" + layout.nodeHttpPort(i) + "/actuator/membership")
        .map(
            m ->
                m.path("mode").asText()
                    + " mode, peers active "
                    + m.path("peers").path("active").asInt()
                    + " suspect "
                    + m.path("peers").path("suspect").asInt()
                    + " dead "
                    + m.path("peers").path("dead").asInt())
        .orElse("");
  }

  private java.util.Optional<String> prometheusHealth(String name, Credentials credentials) {
    return name.equals(LocalPrometheus.NAME)
        ? java.util.Optional.of(
            new LocalPrometheus(layout, credentials.simulatedChain(layout)).healthy()
                ? "up"
                : "DOWN")
        : java.util.Optional.empty();
  }
}
