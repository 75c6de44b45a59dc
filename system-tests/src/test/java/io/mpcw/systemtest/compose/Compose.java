package io.mpcw.systemtest.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a compose file the checks read, with {@code ${VAR:-default}} resolved to its default
 * as {@code docker compose} does when the variable is unset.
 */
final class Compose {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  /** A volume or bind mount: {@code bind} when the source is a path. */
  record Mount(String source, String target, boolean readOnly, boolean bind) {}

  /** A published port. */
  record Port(String hostIp, String published, String target) {}

  record Service(
      String name,
      Optional<String> image,
      Optional<String> buildTarget,
      Map<String, String> environment,
      List<Mount> mounts,
      List<Port> ports,
      Map<String, Map<String, Object>> dependsOn,
      Optional<String> user,
      Optional<Map<String, Object>> healthcheck,
      List<String> profiles) {}

  final Map<String, Object> raw;
  final Map<String, Service> services = new TreeMap<>();
  final Map<String, Object> volumes;

  @SuppressWarnings("unchecked")
  Compose(Map<String, Object> raw) {
    this.raw = raw;
    Map<String, Object> volumes = (Map<String, Object>) raw.get("volumes");
    this.volumes = volumes == null ? Map.of() : volumes;
    Map<String, Object> services = (Map<String, Object>) raw.get("services");
    services.forEach(
        (name, body) -> this.services.put(name, service(name, (Map<String, Object>) body)));
  }

  /**
   * The value as compose resolves it with no variable set: defaults in, {@code $$} as {@code $}.
   */
  static String interpolate(String value) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else if (m.group(2) != null && m.group(2).endsWith("-")) {
        replacement = m.group(3);
      } else {
        replacement = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Service service(String name, Map<String, Object> body) {
    Optional<String> target =
        Optional.ofNullable(body.get("build"))
            .map(b -> b instanceof Map ? ((Map<String, Object>) b).get("target") : null)
            .map(String::valueOf);
    return new Service(
        name,
        Optional.ofNullable(body.get("image")).map(String::valueOf).map(Compose::interpolate),
        target,
        environment(body.get("environment")),
        mounts(body.get("volumes")),
        ports(body.get("ports")),
        dependsOn(body.get("depends_on")),
        Optional.ofNullable(body.get("user")).map(String::valueOf),
        Optional.ofNullable((Map<String, Object>) body.get("healthcheck")),
        body.get("profiles") == null ? List.of() : (List<String>) body.get("profiles"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Object env) {
    Map<String, String> out = new LinkedHashMap<>();
    if (env instanceof Map) {
      ((Map<String, Object>) env).forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
    } else if (env instanceof List) {
      for (Object entry : (List<Object>) env) {
        String s = String.valueOf(entry);
        int eq = s.indexOf('=');
        out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Mount> mounts(Object volumes) {
    List<Mount> out = new ArrayList<>();
    if (volumes == null) {
      return out;
    }
    for (Object v : (List<Object>) volumes) {
      if (v instanceof Map) {
        Map<String, Object> m = (Map<String, Object>) v;
        out.add(
            new Mount(
                String.valueOf(m.get("source")),
                String.valueOf(m.get("target")),
                Boolean.TRUE.equals(m.get("read_only")),
                "bind".equals(m.get("type"))));
      } else {
        String[] parts = String.valueOf(v).split(":");
        String source = parts[0];
        boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        boolean readOnly = parts.length > 2 && parts[2].contains("ro");
        out.add(new Mount(source, parts.length > 1 ? parts[1] : source, readOnly, bind));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Port> ports(Object ports) {
    List<Port> out = new ArrayList<>();
    if (ports == null) {
      return out;
    }
    for (Object p : (List<Object>) ports) {
      if (p instanceof Map) {
        Map<String, Object> m = (Map<String, Object>) p;
        out.add(
            new Port(
                String.valueOf(m.getOrDefault("host_ip", "")),
                String.valueOf(m.get("published")),
                String.valueOf(m.get("target"))));
      } else {
        String[] parts = String.valueOf(p).split(":");
        out.add(
            switch (parts.length) {
              case 3 -> new Port(parts[0], parts[1], parts[2]);
              case 2 -> new Port("", parts[0], parts[1]);
              default -> new Port("", "", parts[0]);
            });
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> dependsOn(Object deps) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    if (deps instanceof List) {
      ((List<Object>) deps)
          .forEach(d -> out.put(String.valueOf(d), Map.of("condition", "service_started")));
    } else if (deps instanceof Map) {
      ((Map<String, Object>) deps)
          .forEach((k, v) -> out.put(k, v == null ? Map.of() : (Map<String, Object>) v));
    }
    return out;
  }

  /** The mount whose target is {@code path} or a parent directory of it. */
  static Optional<Mount> mountOf(Service service, String path) {
    return service.mounts().stream()
        .filter(m -> path.equals(m.target()) || path.startsWith(m.target() + "/"))
        .max((a, b) -> Integer.compare(a.target().length(), b.target().length()));
  }
}
