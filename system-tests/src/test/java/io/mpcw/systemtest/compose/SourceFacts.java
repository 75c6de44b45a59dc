package io.mpcw.systemtest.compose;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the launcher's sources say about the local cluster: each service's env and the ports. */
final class SourceFacts {
  static final Path SERVICE_SPEC =
      Path.of("launcher/src/main/java/io/mpcw/launcher/cluster/ServiceSpec.java");
  static final Path LAYOUT = Path.of("launcher/src/main/java/io/mpcw/launcher/cluster/Layout.java");
  static final Path PROCESSES =
      Path.of("launcher/src/main/java/io/mpcw/launcher/cluster/Processes.java");

  private static final Pattern SPEC =
      Pattern.compile("new ServiceSpec\\(\\s*(?:\"[^\"]*\"|[^,]+),\\s*\"([a-z0-9-]+)\"");
  private static final Pattern ENV_KEY = Pattern.compile("\"([A-Z][A-Z0-9_]*)\"\\s*,");
  private static final Pattern PORT =
      Pattern.compile("static final int ([A-Z_]+(?:PORT|BASE)) = (\\d+);");

  private static final Pattern JVM =
      Pattern.compile("static final String ([A-Z_]+(?:JVM|EXTRA)) =\\s*\"([^\"]*)\";");

  private SourceFacts() {}

  /**
   * The JVM options of the launcher's {@code throughput} profile for a kind of service ({@code
   * NODE}, {@code ORCHESTRATOR}, {@code REGISTRY}): the shared {@code THROUGHPUT_JVM}, then the
   * kind's {@code THROUGHPUT_<KIND>_EXTRA} when there is one.
   */
  static String throughputJvmOptions(String processesSource, String kind) {
    Map<String, String> constants = new TreeMap<>();
    Matcher m = JVM.matcher(processesSource);
    while (m.find()) {
      constants.put(m.group(1), m.group(2));
    }
    String shared = constants.get("THROUGHPUT_JVM");
    if (shared == null) {
      throw new IllegalStateException("Processes.java defines no THROUGHPUT_JVM");
    }
    String extra = constants.get("THROUGHPUT_" + kind + "_EXTRA");
    return extra == null ? shared : shared + " " + extra;
  }

  /** Module → the environment variable names {@code ServiceSpec.cluster} sets for it. */
  static Map<String, Set<String>> serviceSpecEnvironment(String serviceSpecSource) {
    Map<String, Set<String>> env = new TreeMap<>();
    Matcher m = SPEC.matcher(serviceSpecSource);
    int start = -1;
    String module = null;
    while (true) {
      boolean found = m.find();
      if (module != null) {
        String block =
            serviceSpecSource.substring(start, found ? m.start() : serviceSpecSource.length());
        Matcher key = ENV_KEY.matcher(block);
        Set<String> names = env.computeIfAbsent(module, k -> new TreeSet<>());
        while (key.find()) {
          names.add(key.group(1));
        }
      }
      if (!found) {
        return env;
      }
      module = m.group(1);
      start = m.end();
    }
  }

  /** The launcher's port constants ({@code REGISTRY_MANAGEMENT_PORT = 9000}, ...). */
  static Map<String, Integer> layoutPorts(String layoutSource) {
    Map<String, Integer> ports = new TreeMap<>();
    Matcher m = PORT.matcher(layoutSource);
    while (m.find()) {
      ports.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return ports;
  }
}
