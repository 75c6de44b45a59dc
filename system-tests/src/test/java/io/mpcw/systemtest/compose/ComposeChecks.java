package io.mpcw.systemtest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.systemtest.compose.Compose.Mount;
import io.mpcw.systemtest.compose.Compose.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Properties of the compose stack that break it when they do not hold. Each check returns the
 * problems it found, one readable line each; none means the property holds.
 */
final class ComposeChecks {
  static final Pattern NODE = Pattern.compile("node-\\d+");
  private static final Set<String> CONDITIONS =
      Set.of("service_started", "service_healthy", "service_completed_successfully");
  private static final Pattern VERSION_TAG = Pattern.compile(".*\\d+\\.\\d+.*");

  private ComposeChecks() {}

  static List<String> dependencies(Compose compose, Dockerfile dockerfile) {
    List<String> problems = new ArrayList<>();
    compose
        .services
        .values()
        .forEach(
            s ->
                s.dependsOn()
                    .forEach(
                        (dep, spec) -> {
                          Object condition = spec.getOrDefault("condition", "service_started");
                          if (!compose.services.containsKey(dep)) {
                            problems.add(
                                s.name()
                                    + " depends on "
                                    + dep
                                    + ", which is not a service of the file");
                          } else if (!CONDITIONS.contains(String.valueOf(condition))) {
                            problems.add(
                                s.name()
                                    + " waits for "
                                    + dep
                                    + " with an unknown condition "
                                    + condition);
                          } else if ("service_healthy".equals(condition)
                              && !hasHealthcheck(compose.services.get(dep), dockerfile)) {
                            problems.add(
                                s.name()
                                    + " waits for "
                                    + dep
                                    + " to be healthy, but it has no healthcheck");
                          }
                          if (!compose.services.get(s.name()).profiles().isEmpty()
                              || !compose.services.containsKey(dep)) {
                            return;
                          }
                          if (!compose.services.get(dep).profiles().isEmpty()) {
                            // Compose v2 would take `required: false`; docker-compose 1.29 not
                            problems.add(
                                s.name()
                                    + " depends on "
                                    + dep
                                    + ", which only runs in profile "
                                    + compose.services.get(dep).profiles()
                                    + ": up fails without that profile");
                          }
                        }));
    return problems;
  }

  static boolean hasHealthcheck(Service service, Dockerfile dockerfile) {
    if (service.healthcheck().isPresent()) {
      Map<String, Object> check = service.healthcheck().get();
      return !Boolean.TRUE.equals(check.get("disable"))
          && (check.containsKey("test") || service.buildTarget().isPresent());
    }
    return service
        .buildTarget()
        .flatMap(t -> dockerfile.effective(t, "HEALTHCHECK"))
        .filter(h -> !h.equalsIgnoreCase("NONE"))
        .isPresent();
  }

  static List<String> volumes(Compose compose) {
    List<String> problems = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    compose
        .services
        .values()
        .forEach(
            s ->
                s.mounts().stream()
                    .filter(m -> !m.bind())
                    .forEach(
                        m -> {
                          used.add(m.source());
                          if (!compose.volumes.containsKey(m.source())) {
                            problems.add(
                                s.name()
                                    + " mounts the volume "
                                    + m.source()
                                    + ", which is not declared");
                          }
                        }));
    compose.volumes.keySet().stream()
        .filter(v -> !used.contains(v))
        .forEach(v -> problems.add("the volume " + v + " is declared but no service mounts it"));
    return problems;
  }

  /** Each node: its own certificate, share key and shares volumes, its own ports and id. */
  static List<String> nodeIsolation(Compose compose) {
    List<String> problems = new ArrayList<>();
    Map<String, String> volumeOwner = new HashMap<>();
    Map<String, String> portOwner = new HashMap<>();
    Service init = compose.services.get("init");
    Set<String> initVolumes = new TreeSet<>();
    if (init != null) {
      init.mounts().forEach(m -> initVolumes.add(m.source()));
    }
    for (Service node : nodes(compose)) {
      Map<String, String> env = node.environment();
      if (!node.name().equals(env.get("MPCW_NODE_ID"))) {
        problems.add(node.name() + " runs as MPCW_NODE_ID=" + env.get("MPCW_NODE_ID"));
      }
      Map<String, String> paths = new LinkedHashMap<>();
      paths.put("certificate", env.getOrDefault("MPCW_PKI_DIR", "") + "/" + node.name() + ".key");
      paths.put("share key", env.getOrDefault("MPCW_SHARE_KEY_FILE", ""));
      paths.put("shares", env.getOrDefault("MPCW_NODE_SHARES_DIR", ""));
      if (env.containsKey("MPCW_SHARE_KEY")) {
        problems.add(
            node.name() + " gets its share key inline (MPCW_SHARE_KEY), not from its volume");
      }
      Set<String> own = new TreeSet<>();
      paths.forEach(
          (what, path) -> {
            Optional<Mount> mount = Compose.mountOf(node, path);
            if (mount.isEmpty() || mount.get().bind()) {
              problems.add(
                  node.name() + " keeps its " + what + " (" + path + ") on no named volume");
              return;
            }
            String volume = mount.get().source();
            if (!own.add(volume)) {
              problems.add(
                  node.name() + " keeps two of certificate, share key and shares on " + volume);
            }
            String other = volumeOwner.putIfAbsent(volume, node.name());
            if (other != null) {
              problems.add(node.name() + " and " + other + " share the volume " + volume);
            }
            if (!what.equals("shares") && !initVolumes.contains(volume)) {
              problems.add(
                  "init does not write " + node.name() + "'s " + what + " volume " + volume);
            }
            if (what.equals("shares") && initVolumes.contains(volume)) {
              problems.add("init mounts " + node.name() + "'s shares volume " + volume);
            }
          });
      String quic = env.getOrDefault("MPCW_NODE_QUIC_ADDRESS", "");
      String http = Compose.interpolate(env.getOrDefault("MPCW_NODE_HTTP_PORT", ""));
      if (!quic.startsWith(node.name() + ":")) {
        problems.add(
            node.name() + " advertises the QUIC address " + quic + ", not on its own name");
      }
      for (String port : List.of("http " + http, "quic " + quic.substring(quic.indexOf(':') + 1))) {
        String other = portOwner.putIfAbsent(port, node.name());
        if (other != null) {
          problems.add(node.name() + " and " + other + " both use " + port);
        }
      }
    }
    return problems;
  }

  /** The Java services whose JVM options the launcher's profiles define, by their build target. */
  private static final Map<String, String> PROFILED =
      Map.of(
          "orchestrator-service",
          "ORCHESTRATOR",
          "node-service",
          "NODE",
          "registry-service",
          "REGISTRY");

  /**
   * Each orchestrator, node and registry runs by default with the JVM options of the launcher's
   * {@code throughput} profile for its kind (the options the benchmarks measure, every JIT tier
   * where it pays), overridable by {@code MPCW_JAVA_OPTS_<KIND>}.
   */
  static List<String> jvmOptions(Compose compose, String processesSource) {
    List<String> problems = new ArrayList<>();
    for (Service service : compose.services.values()) {
      String target = service.buildTarget().orElse("");
      String kind = PROFILED.get(target);
      if (kind == null) {
        continue;
      }
      String raw = service.environment().getOrDefault("MPCW_JAVA_OPTS", "");
      String expected = SourceFacts.throughputJvmOptions(processesSource, kind);
      if (!raw.startsWith("${MPCW_JAVA_OPTS_" + kind + ":-")) {
        problems.add(
            service.name() + " takes its JVM options from " + raw + ", not MPCW_JAVA_OPTS_" + kind);
      }
      if (!Compose.interpolate(raw).equals(expected)) {
        problems.add(
            service.name()
                + " runs with "
                + Compose.interpolate(raw)
                + ", not the throughput profile's "
                + expected);
      }
    }
    return problems;
  }

  /**
   * Each orchestrator, node and registry image, run without compose, has the same JVM options as
   * its compose service's default ({@link #jvmOptions}).
   */
  static List<String> imageJvmOptions(Dockerfile dockerfile, String processesSource) {
    List<String> problems = new ArrayList<>();
    PROFILED.forEach(
        (stage, kind) -> {
          String expected =
              "MPCW_JAVA_OPTS=\"" + SourceFacts.throughputJvmOptions(processesSource, kind) + "\"";
          Optional<String> env = dockerfile.effective(stage, "ENV");
          if (!env.equals(Optional.of(expected))) {
            problems.add(
                "the "
                    + stage
                    + " image's last ENV is "
                    + env.orElse("none")
                    + ", not "
                    + expected);
          }
        });
    return problems;
  }

  static List<Service> nodes(Compose compose) {
    return compose.services.values().stream()
        .filter(s -> NODE.matcher(s.name()).matches())
        .toList();
  }

  static List<String> ports(Compose compose) {
    List<String> problems = new ArrayList<>();
    Map<String, String> published = new HashMap<>();
    compose
        .services
        .values()
        .forEach(
            s ->
                s.ports()
                    .forEach(
                        p -> {
                          if (!"127.0.0.1".equals(p.hostIp())) {
                            problems.add(
                                s.name()
                                    + " publishes "
                                    + p.target()
                                    + " on "
                                    + (p.hostIp().isEmpty() ? "every interface" : p.hostIp()));
                          }
                          String other =
                              published.putIfAbsent(p.hostIp() + ":" + p.published(), s.name());
                          if (other != null) {
                            problems.add(
                                s.name()
                                    + " and "
                                    + other
                                    + " both publish host port "
                                    + p.published());
                          }
                        }));
    return problems;
  }

  /** Top-level keys docker-compose 1.29 accepts (besides extension fields, x-...). */
  private static final Set<String> V1_TOP_LEVEL =
      Set.of("version", "services", "volumes", "networks", "configs", "secrets");

  private static final Pattern IMAGE_VARIABLE =
      Pattern.compile("\\$\\{(MPCW_[A-Z0-9_]+_IMAGE):-([^}]+)}");

  /**
   * What docker-compose 1.29 refuses although Compose v2 takes it: a top-level key other than
   * services, volumes, networks, configs, secrets (v2's {@code name}), and a dependency with more
   * than a condition (v2's {@code required}, {@code restart}).
   */
  @SuppressWarnings("unchecked")
  static List<String> composeV1Keys(Map<String, Object> raw) {
    List<String> problems = new ArrayList<>();
    raw.keySet().stream()
        .filter(k -> !k.startsWith("x-") && !V1_TOP_LEVEL.contains(k))
        .forEach(
            k -> problems.add("the top-level key " + k + " is unknown to docker-compose 1.29"));
    ((Map<String, Object>) raw.get("services"))
        .forEach(
            (name, body) -> {
              Object deps = ((Map<String, Object>) body).get("depends_on");
              if (deps instanceof Map) {
                ((Map<String, Object>) deps)
                    .forEach(
                        (dep, spec) -> {
                          if (spec instanceof Map) {
                            ((Map<String, Object>) spec)
                                .keySet().stream()
                                    .filter(k -> !k.equals("condition"))
                                    .forEach(
                                        k ->
                                            problems.add(
                                                name
                                                    + "'s dependency on "
                                                    + dep
                                                    + " has the key "
                                                    + k
                                                    + ", unknown to docker-compose 1.29"));
                          }
                        });
              }
            });
    return problems;
  }

  /**
   * Every third-party image is {@code ${MPCW_<NAME>_IMAGE:-<official image>}}, so that a host
   * without registry access can name a stand-in; each variable names one image only. The base
   * images of docker/Dockerfile come in the same way, as build args with the Dockerfile's defaults.
   */
  @SuppressWarnings("unchecked")
  static List<String> imageOverrides(Map<String, Object> raw, Dockerfile dockerfile) {
    List<String> problems = new ArrayList<>();
    Map<String, String> defaults = new HashMap<>();
    ((Map<String, Object>) raw.get("services"))
        .forEach(
            (name, body) -> {
              Map<String, Object> service = (Map<String, Object>) body;
              if (service.containsKey("build")) {
                Object args = ((Map<String, Object>) service.get("build")).get("args");
                Map<String, Object> buildArgs =
                    args instanceof Map ? (Map<String, Object>) args : Map.of();
                for (String arg : List.of("JDK_IMAGE", "JRE_IMAGE")) {
                  String value = String.valueOf(buildArgs.get(arg));
                  var m = IMAGE_VARIABLE.matcher(value);
                  if (!m.matches()) {
                    problems.add(
                        name + " builds without the build arg " + arg + "=${MPCW_..._IMAGE:-...}");
                  } else if (!m.group(2).equals(dockerfile.globalArg(arg).orElse(""))) {
                    problems.add(
                        name
                            + "'s "
                            + arg
                            + " default "
                            + m.group(2)
                            + " is not docker/Dockerfile's "
                            + dockerfile.globalArg(arg).orElse("(none)"));
                  }
                }
                return;
              }
              String image = String.valueOf(service.get("image"));
              var m = IMAGE_VARIABLE.matcher(image);
              if (!m.matches()) {
                problems.add(
                    name + " runs " + image + ", not overridable by an MPCW_*_IMAGE variable");
              } else if (!defaults.getOrDefault(m.group(1), m.group(2)).equals(m.group(2))) {
                problems.add(m.group(1) + " stands for two images");
              } else {
                defaults.put(m.group(1), m.group(2));
              }
            });
    return problems;
  }

  private static final Pattern BUILDKIT_ONLY =
      Pattern.compile(
          "(?:^|\\s)--(?:mount|network|security|chmod|link|parents|exclude)(?:=|\\s)|<<");

  /**
   * Instructions only BuildKit knows: the classic builder, which docker-compose 1.29 and a docker
   * CLI without buildx use, refuses them (RUN --mount, COPY --chmod, heredocs, ...).
   */
  static List<String> classicBuilder(Dockerfile dockerfile) {
    List<String> problems = new ArrayList<>();
    for (String keyword : List.of("RUN", "COPY", "ADD")) {
      dockerfile.all(keyword).stream()
          .filter(i -> BUILDKIT_ONLY.matcher(i.arguments()).find())
          .forEach(
              i ->
                  problems.add(
                      keyword
                          + " "
                          + i.arguments()
                          + " needs BuildKit (the classic builder refuses it)"));
    }
    return problems;
  }

  /**
   * Every image by an exact version tag: third-party images in compose, bases in the Dockerfile.
   */
  static List<String> pinnedImages(Compose compose, Dockerfile dockerfile) {
    List<String> problems = new ArrayList<>();
    compose
        .services
        .values()
        .forEach(
            s ->
                s.image()
                    .filter(i -> s.buildTarget().isEmpty())
                    .filter(i -> !pinned(i))
                    .ifPresent(i -> problems.add(s.name() + " runs the unpinned image " + i)));
    dockerfile.stages.values().stream()
        .filter(stage -> !dockerfile.stages.containsKey(stage.base()))
        .filter(stage -> !pinned(stage.base()))
        .forEach(
            stage ->
                problems.add(
                    "stage " + stage.name() + " is built on the unpinned image " + stage.base()));
    return problems;
  }

  static boolean pinned(String image) {
    if (image.contains("@sha256:")) {
      return true;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon < slash + 1) {
      return false;
    }
    String tag = image.substring(colon + 1);
    return !tag.equals("latest") && !tag.contains("$") && VERSION_TAG.matcher(tag).matches();
  }

  /** Our images end with a non-root USER; no service is switched to root. */
  static List<String> nonRoot(Compose compose, Dockerfile dockerfile) {
    List<String> problems = new ArrayList<>();
    compose
        .services
        .values()
        .forEach(
            s -> {
              s.user()
                  .filter(ComposeChecks::isRoot)
                  .ifPresent(u -> problems.add(s.name() + " runs as " + u));
              s.buildTarget()
                  .ifPresent(
                      target -> {
                        if (!dockerfile.stages.containsKey(target)) {
                          problems.add(
                              s.name()
                                  + " builds the target "
                                  + target
                                  + ", which docker/Dockerfile lacks");
                          return;
                        }
                        Optional<String> user = dockerfile.effective(target, "USER");
                        if (user.isEmpty() || isRoot(user.get())) {
                          problems.add(
                              "the image of "
                                  + s.name()
                                  + " (target "
                                  + target
                                  + ") runs as "
                                  + user.orElse("root"));
                        }
                      });
            });
    return problems;
  }

  private static boolean isRoot(String user) {
    String name = user.split(":")[0].trim();
    return name.equals("root") || name.equals("0");
  }

  /**
   * The expected scrape endpoint (host:port, metrics path) of each service that exports metrics.
   */
  static Map<String, String> metricsEndpoints(Compose compose) {
    Map<String, String> endpoints = new LinkedHashMap<>();
    compose
        .services
        .values()
        .forEach(
            s -> {
              Map<String, String> env = s.environment();
              String target = s.buildTarget().orElse("");
              String actuator = "/actuator/prometheus";
              switch (target) {
                case "registry-service" ->
                    endpoints.put(
                        s.name(),
                        s.name() + ":" + env.get("MANAGEMENT_SERVER_PORT") + " " + actuator);
                case "orchestrator-service" ->
                    endpoints.put(
                        s.name(),
                        s.name()
                            + ":"
                            + env.get("MPCW_ORCHESTRATOR_MANAGEMENT_PORT")
                            + " "
                            + actuator);
                case "node-service" ->
                    endpoints.put(
                        s.name(), s.name() + ":" + env.get("MPCW_NODE_HTTP_PORT") + " " + actuator);
                case "chain-simulator" ->
                    endpoints.put(
                        s.name(), s.name() + ":" + env.get("MPCW_CHAIN_RPC_PORT") + " /metrics");
                default -> {
                  if (s.image().orElse("").contains("/etcd")) {
                    // metrics on their own plain listener: the client URL wants a certificate
                    String url =
                        env.getOrDefault("ETCD_LISTEN_METRICS_URLS", "https://0.0.0.0:2379");
                    endpoints.put(
                        s.name(),
                        s.name() + ":" + url.substring(url.lastIndexOf(':') + 1) + " /metrics");
                  }
                }
              }
            });
    return endpoints;
  }

  /** job name → "host:port path" of each target of a Prometheus configuration. */
  @SuppressWarnings("unchecked")
  static Map<String, Set<String>> scrapeTargets(Map<String, Object> prometheus) {
    Map<String, Set<String>> jobs = new LinkedHashMap<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
      String path = String.valueOf(job.getOrDefault("metrics_path", "/metrics"));
      Set<String> targets =
          jobs.computeIfAbsent(String.valueOf(job.get("job_name")), k -> new TreeSet<>());
      for (Map<String, Object> config :
          (List<Map<String, Object>>) job.getOrDefault("static_configs", List.of())) {
        for (Object target : (List<Object>) config.get("targets")) {
          targets.add(target + " " + path);
        }
      }
    }
    return jobs;
  }

  static List<String> prometheusCoverage(Compose compose, Map<String, Object> prometheus) {
    List<String> problems = new ArrayList<>();
    Map<String, Set<String>> jobs = scrapeTargets(prometheus);
    Set<String> scraped = new TreeSet<>();
    jobs.values().forEach(scraped::addAll);
    metricsEndpoints(compose)
        .forEach(
            (service, endpoint) -> {
              if (!scraped.contains(endpoint)) {
                problems.add("Prometheus does not scrape " + service + " at " + endpoint);
              }
            });
    scraped.forEach(
        t -> {
          String host = t.substring(0, t.indexOf(':'));
          if (!compose.services.containsKey(host)) {
            problems.add("Prometheus scrapes " + t + ", but " + host + " is not a compose service");
          }
        });
    return problems;
  }

  /**
   * The env vars ServiceSpec sets for a module, that its compose services get neither inline nor
   * from their env file.
   */
  static List<String> environment(
      Compose compose, Map<String, Set<String>> serviceSpec, Set<String> fromEnvFile) {
    List<String> problems = new ArrayList<>();
    serviceSpec.forEach(
        (module, names) -> {
          List<Service> services =
              compose.services.values().stream()
                  .filter(s -> s.buildTarget().orElse("").equals(module))
                  .toList();
          if (services.isEmpty()) {
            problems.add("no compose service runs " + module);
          }
          for (Service s : services) {
            for (String name : names) {
              boolean fromFile =
                  s.environment().containsKey("MPCW_ENV_FILE") && fromEnvFile.contains(name);
              if (!s.environment().containsKey(name) && !fromFile) {
                problems.add(
                    s.name() + " (" + module + ") lacks " + name + ", which ./mpcw up sets");
              }
            }
          }
        });
    return problems;
  }

  /** Secrets only by reference: no literal password, key or hash in the compose file. */
  static List<String> literalSecrets(Compose compose) {
    Pattern secret = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|SHA256|_KEY)$");
    List<String> problems = new ArrayList<>();
    compose
        .services
        .values()
        .forEach(
            s ->
                s.environment()
                    .forEach(
                        (k, v) -> {
                          // etcd's cluster token only tells two clusters apart: no credential
                          if (secret.matcher(k).matches()
                              && !k.equals("ETCD_INITIAL_CLUSTER_TOKEN")
                              && !v.isEmpty()
                              && !v.matches("\\$\\{[A-Za-z0-9_]+(:?-[^}]*)?}")) {
                            problems.add(s.name() + " sets the secret " + k + " literally");
                          }
                        }));
    return problems;
  }

  /** Dashboard queries: every metric exported by the code (or a documented etcd/Prometheus one). */
  static List<String> dashboardMetrics(
      JsonNode dashboard, Set<String> exported, Set<String> documented, Set<String> jobs) {
    List<String> problems = new ArrayList<>();
    for (String expr : expressions(dashboard)) {
      for (String metric : PromQl.metricNames(expr)) {
        if (!exported.contains(metric) && !documented.contains(metric)) {
          problems.add("the dashboard queries " + metric + ", which nothing exports: " + expr);
        }
      }
      for (String job : PromQl.jobs(expr)) {
        if (!jobs.contains(job)) {
          problems.add("the dashboard selects job=\"" + job + "\", which Prometheus does not have");
        }
      }
    }
    return problems;
  }

  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    dashboard
        .findValues("targets")
        .forEach(
            targets ->
                targets.forEach(
                    t -> {
                      if (t.hasNonNull("expr")) {
                        out.add(t.get("expr").asText());
                      }
                    }));
    return out;
  }

  static List<String> datasources(JsonNode dashboard, String uid) {
    List<String> problems = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(
            p -> {
              panels.add(p);
              p.path("panels").forEach(panels::add);
            });
    for (JsonNode panel : panels) {
      if ("row".equals(panel.path("type").asText())) {
        continue;
      }
      List<JsonNode> sources = new ArrayList<>(List.of(panel.path("datasource")));
      panel.path("targets").forEach(t -> sources.add(t.path("datasource")));
      for (JsonNode source : sources) {
        if (!uid.equals(source.path("uid").asText())) {
          problems.add(
              "panel '"
                  + panel.path("title").asText()
                  + "' uses the datasource "
                  + source
                  + ", not uid "
                  + uid);
        }
      }
      if (panel.path("targets").isEmpty()) {
        problems.add("panel '" + panel.path("title").asText() + "' has no query");
      }
    }
    return problems;
  }
}
