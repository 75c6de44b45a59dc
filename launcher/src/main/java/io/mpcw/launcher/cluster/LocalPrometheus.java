package io.mpcw.launcher.cluster;

import io.mpcw.embedded.etcd.EtcdCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's {@code prometheus} binary for the local cluster, when it is installed: the same jobs as
 * {@code docker/prometheus/prometheus.yml}, pointed at the local ports, data under {@code
 * .mpcw/data/prometheus}. Without the binary the cluster runs as before and says so once.
 */
final class LocalPrometheus {
  static final String NAME = "prometheus";

  private final Layout layout;
  private final boolean simulatedChain;

  /**
   * @param simulatedChain whether the chain is the local simulator (an external bitcoind has no
   *     Prometheus endpoint)
   */
  LocalPrometheus(Layout layout, boolean simulatedChain) {
    this.layout = layout;
    this.simulatedChain = simulatedChain;
  }

  /** The binary: {@code MPCW_PROMETHEUS_BIN}, else {@code prometheus} on the PATH. */
  static Optional<Path> binary() {
    String configured = System.getenv("MPCW_PROMETHEUS_BIN");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  String url() {
    return "http://127.0.0.1:" + layout.prometheusPort();
  }

  Path config() {
    return layout.home().resolve("prometheus.yml");
  }

  /** Writes the scrape configuration and starts {@code binary} on it. */
  void start(Path binary) {
    try {
      Files.createDirectories(layout.data().resolve("prometheus"));
      Files.writeString(config(), scrapeConfig());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        List.of(
            binary.toString(),
            "--config.file=" + config(),
            "--storage.tsdb.path=" + layout.data().resolve("prometheus"),
            "--storage.tsdb.retention.time=2d",
            "--web.listen-address=127.0.0.1:" + layout.prometheusPort());
    Processes.start(layout, NAME, command, Map.of());
  }

  boolean healthy() {
    return Health.answers(url() + "/-/ready");
  }

  /**
   * {@code docker/prometheus/prometheus-local.yml} — the compose file's jobs on the default local
   * ports — moved to this layout: every port shifted by the offset, one target per node and per
   * etcd member, and no chain job when the chain is an external bitcoind.
   */
  String scrapeConfig() {
    Path template = layout.repo().resolve("docker/prometheus/prometheus-local.yml");
    try {
      return scrapeConfig(Files.readString(template));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the scrape configuration " + template, e);
    }
  }

  String scrapeConfig(String template) {
    StringBuilder out = new StringBuilder();
    boolean skipping = false;
    for (String line : template.split("\n", -1)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("- job_name:")) {
        skipping = !simulatedChain && trimmed.equals("- job_name: chain");
      }
      if (skipping) {
        continue;
      }
      if (line.contains("\"127.0.0.1:" + (Layout.NODE_HTTP_BASE + 1) + "\"")) {
        line = targets(line, nodeTargets());
      } else if (line.contains(
          "\"127.0.0.1:" + (Layout.ETCD_CLIENT_PORT + EtcdCluster.METRICS_PORT_SHIFT) + "\"")) {
        line = targets(line, layout.etcdMetricsTargets());
      } else {
        line = shiftPorts(line);
      }
      out.append(line).append('\n');
    }
    return out.toString().stripTrailing() + "\n";
  }

  private List<String> nodeTargets() {
    List<String> targets = new ArrayList<>();
    for (int i = 1; i <= layout.nodes(); i++) {
      targets.add("127.0.0.1:" + layout.nodeHttpPort(i));
    }
    return targets;
  }

  private static String targets(String line, List<String> targets) {
    String list = String.join(", ", targets.stream().map(t -> "\"" + t + "\"").toList());
    return line.substring(0, line.indexOf('[') + 1) + list + "]";
  }

  private String shiftPorts(String line) {
    java.util.regex.Matcher m = LOOPBACK_PORT.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, "127.0.0.1:" + (Integer.parseInt(m.group(1)) + layout.portOffset()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static final java.util.regex.Pattern LOOPBACK_PORT =
      java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
}
