package io.mpcw.systemtest.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.systemtest.compose.Compose.Mount;
import io.mpcw.systemtest.compose.Compose.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose stack cannot run on a machine without a Docker engine, so this reads its files —
 * docker-compose.yml, the Dockerfile, the Prometheus configurations, the Grafana provisioning and
 * dashboard — and checks the properties that break {@code docker compose up} or the dashboards when
 * they do not hold, against the sources where the sources decide (ServiceSpec's environment, the
 * launcher's ports, the Micrometer meters). Each check is also run on a broken copy, to show that
 * it catches what it claims to.
 */
class ComposeFileTest {
  /** etcd's own metrics (etcd Documentation/metrics), and Prometheus' {@code up}. */
  static final Set<String> DOCUMENTED =
      Set.of(
          "up",
          "etcd_server_has_leader",
          "etcd_server_is_leader",
          "etcd_server_leader_changes_seen_total",
          "etcd_server_proposals_committed_total",
          "etcd_server_proposals_applied_total",
          "etcd_server_proposals_pending",
          "etcd_server_proposals_failed_total",
          "etcd_disk_wal_fsync_duration_seconds_bucket",
          "etcd_disk_wal_fsync_duration_seconds_sum",
          "etcd_disk_wal_fsync_duration_seconds_count",
          "etcd_disk_backend_commit_duration_seconds_bucket",
          "etcd_disk_backend_commit_duration_seconds_sum",
          "etcd_disk_backend_commit_duration_seconds_count",
          "etcd_mvcc_db_total_size_in_bytes",
          "etcd_network_peer_round_trip_time_seconds_bucket");

  static Path root;
  static Path docker;
  static Compose compose;
  static Dockerfile dockerfile;
  static Map<String, Object> prometheus;
  static Map<String, Object> prometheusLocal;
  static JsonNode dashboard;
  static Set<String> exported;

  @BeforeAll
  static void load() {
    root = Repo.root();
    docker = Repo.docker();
    compose = new Compose(Repo.yaml(docker.resolve("docker-compose.yml")));
    dockerfile = new Dockerfile(Repo.read(docker.resolve("Dockerfile")));
    prometheus = Repo.yaml(docker.resolve("prometheus/prometheus.yml"));
    prometheusLocal = Repo.yaml(docker.resolve("prometheus/prometheus-local.yml"));
    dashboard = Repo.json(docker.resolve("grafana/dashboards/mpcw-pipeline.json"));
    exported = ExportedMeters.scan(root);
  }

  /** A fresh, mutable copy of the compose file, to break on purpose. */
  static Map<String, Object> composeCopy() {
    return Repo.yaml(docker.resolve("docker-compose.yml"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(Map<String, Object> raw, String name) {
    return (Map<String, Object>) ((Map<String, Object>) raw.get("services")).get(name);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyDependencyIsAServiceAndAwaitedHealthOnlyWhereThereIsAHealthcheck() {
    assertThat(ComposeChecks.dependencies(compose, dockerfile)).isEmpty();
    assertThat(compose.services.get("orchestrator").dependsOn())
        .containsKeys("init", "postgres", "etcd-1", "registry", "chain", "node-5");

    Map<String, Object> broken = composeCopy();
    ((Map<String, Object>) service(broken, "orchestrator").get("depends_on"))
        .put("node-9", Map.of("condition", "service_healthy"));
    ((Map<String, Object>) service(broken, "grafana").get("depends_on"))
        .put("init", Map.of("condition", "service_healthy"));
    ((Map<String, Object>) service(broken, "orchestrator").get("depends_on"))
        .put("bitcoind", Map.of("condition", "service_healthy"));
    assertThat(ComposeChecks.dependencies(new Compose(broken), dockerfile))
        .anyMatch(p -> p.contains("node-9"))
        .anyMatch(p -> p.contains("waits for init to be healthy"))
        .anyMatch(p -> p.contains("depends on bitcoind, which only runs in profile [bitcoind]"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theFileUsesNoKeyThatDockerCompose129RefusesAndTakesItsProjectNameFromDotEnv() {
    assertThat(ComposeChecks.composeV1Keys(composeCopy())).isEmpty();
    assertThat(Repo.read(docker.resolve(".env")).lines()).contains("COMPOSE_PROJECT_NAME=mpcw");

    Map<String, Object> broken = composeCopy();
    broken.put("name", "mpcw");
    ((Map<String, Object>) service(broken, "orchestrator").get("depends_on"))
        .put("chain", Map.of("condition", "service_healthy", "required", false));
    assertThat(ComposeChecks.composeV1Keys(broken))
        .containsExactlyInAnyOrder(
            "the top-level key name is unknown to docker-compose 1.29",
            "orchestrator's dependency on chain has the key required, unknown to docker-compose"
                + " 1.29");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyThirdPartyImageAndEveryBaseImageIsOverridableByItsOwnVariable() {
    assertThat(ComposeChecks.imageOverrides(composeCopy(), dockerfile)).isEmpty();
    assertThat(compose.services.get("postgres").image()).contains("postgres:17.6-bookworm");

    Map<String, Object> broken = composeCopy();
    service(broken, "prometheus").put("image", "prom/prometheus:v3.5.0");
    service(broken, "grafana").put("image", "${MPCW_POSTGRES_IMAGE:-grafana/grafana:12.1.0}");
    Map<String, Object> build =
        new LinkedHashMap<>((Map<String, Object>) service(broken, "node-3").get("build"));
    build.put(
        "args",
        Map.of(
            "JDK_IMAGE", "${MPCW_JDK_IMAGE:-eclipse-temurin:17.0.1_12-jdk}",
            "JRE_IMAGE", "eclipse-temurin:17.0.16_8-jre-noble"));
    service(broken, "node-3").put("build", build);
    assertThat(ComposeChecks.imageOverrides(broken, dockerfile))
        .containsExactlyInAnyOrder(
            "prometheus runs prom/prometheus:v3.5.0, not overridable by an MPCW_*_IMAGE variable",
            "MPCW_POSTGRES_IMAGE stands for two images",
            "node-3's JDK_IMAGE default eclipse-temurin:17.0.1_12-jdk is not docker/Dockerfile's "
                + dockerfile.globalArg("JDK_IMAGE").orElseThrow(),
            "node-3 builds without the build arg JRE_IMAGE=${MPCW_..._IMAGE:-...}");
  }

  @Test
  void theDockerfileBuildsWithTheClassicBuilderToo() {
    assertThat(ComposeChecks.classicBuilder(dockerfile)).isEmpty();

    Dockerfile buildKitOnly =
        new Dockerfile(
            "FROM eclipse-temurin:17.0.16_8-jdk AS build\n"
                + "RUN --mount=type=cache,target=/root/.m2 ./mvnw package\n"
                + "COPY --chmod=0755 docker/bin/mpcw-run /usr/local/bin/\n"
                + "COPY --chown=root:root docker/bin/mpcw-init /usr/local/bin/\n");
    assertThat(ComposeChecks.classicBuilder(buildKitOnly))
        .hasSize(2)
        .anyMatch(p -> p.startsWith("RUN --mount=type=cache"))
        .anyMatch(p -> p.startsWith("COPY --chmod=0755"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyNamedVolumeIsDeclaredAndEveryDeclaredOneIsUsed() {
    assertThat(ComposeChecks.volumes(compose)).isEmpty();

    Map<String, Object> broken = composeCopy();
    ((Map<String, Object>) broken.get("volumes")).remove("shares-node-3");
    ((Map<String, Object>) broken.get("volumes")).put("orphan", null);
    assertThat(ComposeChecks.volumes(new Compose(broken)))
        .containsExactlyInAnyOrder(
            "node-3 mounts the volume shares-node-3, which is not declared",
            "the volume orphan is declared but no service mounts it");
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachOfTheFiveNodesHasItsOwnCertificateShareKeySharesAndPorts() {
    assertThat(ComposeChecks.nodes(compose))
        .extracting(Service::name)
        .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5");
    assertThat(ComposeChecks.nodeIsolation(compose)).isEmpty();

    Map<String, Object> broken = composeCopy();
    List<Object> volumes = (List<Object>) service(broken, "node-2").get("volumes");
    volumes.replaceAll(v -> String.valueOf(v).replace("keys-node-2", "keys-node-1"));
    ((Map<String, Object>) service(broken, "node-4").get("environment"))
        .put("MPCW_NODE_HTTP_PORT", "8103");
    assertThat(ComposeChecks.nodeIsolation(new Compose(broken)))
        .anyMatch(p -> p.contains("node-2 and node-1 share the volume keys-node-1"))
        .anyMatch(p -> p.contains("node-4 and node-3 both use http 8103"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void portsArePublishedOnLoopbackOnlyAndEachHostPortOnce() {
    assertThat(ComposeChecks.ports(compose)).isEmpty();
    assertThat(compose.services.get("orchestrator").ports()).isNotEmpty();

    Map<String, Object> broken = composeCopy();
    service(broken, "grafana").put("ports", List.of("3000:3000", "127.0.0.1:8081:3001"));
    assertThat(ComposeChecks.ports(new Compose(broken)))
        .containsExactlyInAnyOrder(
            "grafana publishes 3000 on every interface",
            "orchestrator and grafana both publish host port 8081");
  }

  @Test
  void everyImageAndEveryBaseImageIsPinnedToAVersion() {
    assertThat(ComposeChecks.pinnedImages(compose, dockerfile)).isEmpty();
    assertThat(dockerfile.stages.get("build").base()).startsWith("eclipse-temurin:17.");

    assertThat(ComposeChecks.pinned("prom/prometheus:v3.5.0")).isTrue();
    assertThat(ComposeChecks.pinned("postgres:17.6-bookworm")).isTrue();
    assertThat(ComposeChecks.pinned("postgres:17")).isFalse();
    assertThat(ComposeChecks.pinned("grafana/grafana:latest")).isFalse();
    assertThat(ComposeChecks.pinned("grafana/grafana")).isFalse();
    assertThat(ComposeChecks.pinned("localhost:5000/etcd")).isFalse();
    Dockerfile unpinned =
        new Dockerfile("ARG BASE=eclipse-temurin:17-jre\nFROM ${BASE} AS app\nUSER 1\n");
    assertThat(ComposeChecks.pinnedImages(new Compose(Map.of("services", Map.of())), unpinned))
        .containsExactly("stage app is built on the unpinned image eclipse-temurin:17-jre");
  }

  @Test
  void ourImagesRunAsAnUnprivilegedUserAndTheLongRunningOnesHaveAHealthcheck() {
    assertThat(ComposeChecks.nonRoot(compose, dockerfile)).isEmpty();
    for (Service s : compose.services.values()) {
      if (s.buildTarget().isPresent() && !s.buildTarget().get().equals("init")) {
        assertThat(ComposeChecks.hasHealthcheck(s, dockerfile)).as(s.name()).isTrue();
      }
    }
    assertThat(dockerfile.effective("init", "HEALTHCHECK")).contains("NONE");
    assertThat(
            String.valueOf(
                ((Map<?, ?>) ((Map<?, ?>) compose.raw.get("services")).get("init")).get("restart")))
        .isEqualTo("no");

    Dockerfile asRoot =
        new Dockerfile(
            "FROM eclipse-temurin:17.0.16_8-jre AS base\nUSER 10001\nFROM base AS node-service\nUSER root\n");
    Map<String, Object> raw = composeCopy();
    service(raw, "postgres").put("user", "0:0");
    assertThat(ComposeChecks.nonRoot(new Compose(raw), asRoot))
        .anyMatch(p -> p.equals("postgres runs as 0:0"))
        .anyMatch(p -> p.startsWith("the image of node-1 (target node-service) runs as root"))
        .anyMatch(p -> p.contains("docker/Dockerfile lacks"));
  }

  @Test
  void theBuildStageRunsMavenOnceAndEveryTargetTakesItsJarFromIt() {
    String text = Repo.read(docker.resolve("Dockerfile"));
    assertThat(text.split("\\./mvnw -B -q package -DskipTests", -1)).hasSize(2);
    assertThat(dockerfile.stages.get("build").instructions())
        .anyMatch(
            i ->
                i.keyword().equals("RUN")
                    && i.arguments().contains("./mvnw -B -q package -DskipTests"));
    for (String target :
        List.of(
            "registry-service",
            "orchestrator-service",
            "node-service",
            "chain-simulator",
            "init")) {
      assertThat(dockerfile.stages.get(target).instructions())
          .as(target)
          .anyMatch(i -> i.keyword().equals("COPY") && i.arguments().contains("--from=build"));
    }
    // what the images copy from the build context exists, and the context leaves out local state
    for (Dockerfile.Instruction copy : dockerfile.all("COPY")) {
      Arrays.stream(copy.arguments().split("\\s+"))
          .filter(a -> a.startsWith("docker/"))
          .forEach(a -> assertThat(root.resolve(a)).as(copy.arguments()).exists());
    }
    // the root .dockerignore, the one file both builders read (BuildKit would prefer a
    // docker/Dockerfile.dockerignore, which the classic builder ignores)
    assertThat(Repo.read(root.resolve(".dockerignore")).lines())
        .contains(".mpcw*", "**/target", ".git", "docker/.env");
    assertThat(docker.resolve("Dockerfile.dockerignore")).doesNotExist();
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryServiceOfTheComposeFileByItsServiceName() {
    assertThat(ComposeChecks.metricsEndpoints(compose))
        .containsEntry("registry", "registry:9000 /actuator/prometheus")
        .containsEntry("chain", "chain:18443 /metrics")
        .containsEntry("etcd-2", "etcd-2:2381 /metrics")
        .hasSize(11);
    assertThat(ComposeChecks.prometheusCoverage(compose, prometheus)).isEmpty();
    assertThat(
            Repo.read(
                root.resolve(
                    "chain-simulator/src/main/java/io/mpcw/chain/simulator/rpc/RpcServer.java")))
        .contains("path.equals(\"/metrics\")");

    Map<String, Object> broken = Repo.yaml(docker.resolve("prometheus/prometheus.yml"));
    for (Map<String, Object> job : (List<Map<String, Object>>) broken.get("scrape_configs")) {
      if (job.get("job_name").equals("nodes")) {
        ((List<Object>)
                ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets"))
            .replaceAll(t -> t.equals("node-3:8103") ? "node-33:8103" : t);
      }
      if (job.get("job_name").equals("chain")) {
        job.remove("metrics_path");
        job.put("metrics_path", "/actuator/prometheus");
      }
    }
    assertThat(ComposeChecks.prometheusCoverage(compose, broken))
        .contains(
            "Prometheus does not scrape node-3 at node-3:8103 /actuator/prometheus",
            "Prometheus does not scrape chain at chain:18443 /metrics",
            "Prometheus scrapes node-33:8103 /actuator/prometheus, but node-33 is not a compose service");
  }

  @Test
  void localPrometheusHasTheSameJobsOnTheLaunchersLoopbackPorts() {
    Map<String, Integer> ports =
        SourceFacts.layoutPorts(Repo.read(root.resolve(SourceFacts.LAYOUT)));
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    expected.put("prometheus", Set.of(local(ports.get("PROMETHEUS_PORT"), "/metrics")));
    expected.put(
        "registry", Set.of(local(ports.get("REGISTRY_MANAGEMENT_PORT"), "/actuator/prometheus")));
    expected.put(
        "orchestrator",
        Set.of(local(ports.get("ORCHESTRATOR_MANAGEMENT_PORT"), "/actuator/prometheus")));
    expected.put(
        "nodes",
        Stream.of(1, 2, 3, 4, 5)
            .map(i -> local(ports.get("NODE_HTTP_BASE") + i, "/actuator/prometheus"))
            .collect(Collectors.toSet()));
    expected.put("chain", Set.of(local(ports.get("CHAIN_RPC_PORT"), "/metrics")));
    // etcd's plain-HTTP metrics listener, 100 above its client port (EtcdCluster)
    expected.put("etcd", Set.of(local(ports.get("ETCD_CLIENT_PORT") + 100, "/metrics")));

    Map<String, Set<String>> actual = ComposeChecks.scrapeTargets(prometheusLocal);
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.keySet()).isEqualTo(ComposeChecks.scrapeTargets(prometheus).keySet());
  }

  private static String local(int port, String path) {
    return "127.0.0.1:" + port + " " + path;
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeGivesEachServiceEveryVariableThatServiceSpecSetsForIt() {
    Map<String, Set<String>> spec =
        SourceFacts.serviceSpecEnvironment(Repo.read(root.resolve(SourceFacts.SERVICE_SPEC)));
    assertThat(spec)
        .containsKeys(
            "chain-simulator", "registry-service", "node-service", "orchestrator-service");
    assertThat(spec.get("node-service"))
        .contains("MPCW_SHARE_KEY_FILE", "MPCW_NODE_QUIC_ADDRESS", "MPCW_ETCD_ENDPOINTS");
    assertThat(spec.get("orchestrator-service")).contains("MPCW_API_KEYS_0_SHA256", "MPCW_DB_URL");
    Set<String> fromEnvFile =
        InitScript.envFileVariables(Repo.read(docker.resolve("bin/mpcw-init")));
    assertThat(fromEnvFile)
        .containsExactlyInAnyOrder("MPCW_API_KEYS_0_SHA256", "MPCW_API_KEYS_1_SHA256");

    assertThat(ComposeChecks.environment(compose, spec, fromEnvFile)).isEmpty();

    Map<String, Object> broken = composeCopy();
    ((Map<String, Object>) service(broken, "node-4").get("environment"))
        .remove("MPCW_ETCD_ENDPOINTS");
    ((Map<String, Object>) service(broken, "orchestrator").get("environment"))
        .remove("MPCW_ENV_FILE");
    assertThat(ComposeChecks.environment(new Compose(broken), spec, fromEnvFile))
        .contains(
            "node-4 (node-service) lacks MPCW_ETCD_ENDPOINTS, which ./mpcw up sets",
            "orchestrator (orchestrator-service) lacks MPCW_API_KEYS_0_SHA256, which ./mpcw up sets");
  }

  @Test
  void etcdMembersRequireTlsAndClientCertificatesAndTheServicesWaitForItsUsersAndRoles() {
    List<String> members =
        compose.services.keySet().stream().filter(n -> n.startsWith("etcd-")).toList();
    assertThat(members).contains("etcd-1", "etcd-2", "etcd-3", "etcd-auth");
    for (String member : List.of("etcd-1", "etcd-2", "etcd-3")) {
      Map<String, String> env = compose.services.get(member).environment();
      assertThat(env)
          .as(member)
          .containsEntry("ETCD_CLIENT_CERT_AUTH", "true")
          .containsEntry("ETCD_PEER_CLIENT_CERT_AUTH", "true")
          .containsEntry("ETCD_PEER_CERT_ALLOWED_CN", "etcd")
          .containsEntry("ETCD_LISTEN_CLIENT_URLS", "https://0.0.0.0:2379")
          .containsEntry("ETCD_LISTEN_PEER_URLS", "https://0.0.0.0:2380")
          .containsKeys("ETCD_CERT_FILE", "ETCD_KEY_FILE", "ETCD_TRUSTED_CA_FILE");
      assertThat(env.get("ETCD_ADVERTISE_CLIENT_URLS")).startsWith("https://");
    }
    Service auth = compose.services.get("etcd-auth");
    assertThat(auth.buildTarget()).contains("init");
    assertThat(auth.environment().get("MPCW_NODES"))
        .isEqualTo(compose.services.get("init").environment().get("MPCW_NODES"));
    assertThat(auth.environment().get("MPCW_ETCD_ENDPOINTS"))
        .isEqualTo(compose.services.get("orchestrator").environment().get("MPCW_ETCD_ENDPOINTS"));
    assertThat(auth.dependsOn()).containsKeys("etcd-1", "etcd-2", "etcd-3");
    for (Service s : ComposeChecks.nodes(compose)) {
      assertThat(s.dependsOn()).as(s.name()).containsKey("etcd-auth");
    }
    assertThat(compose.services.get("orchestrator").dependsOn()).containsKey("etcd-auth");
    // the operator's root certificate is mounted by init and etcd-auth only
    compose.services.values().stream()
        .filter(s -> !s.name().equals("init") && !s.name().equals("etcd-auth"))
        .forEach(
            s ->
                assertThat(s.mounts())
                    .as(s.name())
                    .extracting(Mount::source)
                    .doesNotContain("pki-etcd-admin"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeAndTheImagesRunTheOrchestratorNodesAndRegistryWithTheBenchmarkedJvmOptions() {
    String processes = Repo.read(root.resolve(SourceFacts.PROCESSES));
    assertThat(ComposeChecks.jvmOptions(compose, processes)).isEmpty();
    assertThat(
            Compose.interpolate(
                compose.services.get("orchestrator").environment().get("MPCW_JAVA_OPTS")))
        .doesNotContain("TieredStopAtLevel");
    assertThat(
            Compose.interpolate(compose.services.get("node-2").environment().get("MPCW_JAVA_OPTS")))
        .endsWith("-XX:TieredStopAtLevel=1");

    Map<String, Object> broken = composeCopy();
    ((Map<String, Object>) service(broken, "orchestrator").get("environment"))
        .put(
            "MPCW_JAVA_OPTS",
            "${MPCW_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}");
    assertThat(ComposeChecks.jvmOptions(new Compose(broken), processes))
        .hasSize(2)
        .allMatch(problem -> problem.startsWith("orchestrator "));

    assertThat(ComposeChecks.imageJvmOptions(dockerfile, processes)).isEmpty();
    Dockerfile c1Only =
        new Dockerfile(
            Repo.read(docker.resolve("Dockerfile"))
                .replace("-XX:CompileThresholdScaling=0.25\"", "-XX:TieredStopAtLevel=1\""));
    assertThat(ComposeChecks.imageJvmOptions(c1Only, processes))
        .singleElement(STRING)
        .startsWith("the orchestrator-service image's last ENV is");
  }

  @Test
  void clusterSizeThresholdAndEndpointsAgreeAcrossServices() {
    int nodes = ComposeChecks.nodes(compose).size();
    Map<String, String> orchestrator = compose.services.get("orchestrator").environment();
    assertThat(orchestrator.get("MPCW_TOTAL_NODES")).isEqualTo(Integer.toString(nodes));
    assertThat(compose.services.get("init").environment().get("MPCW_NODES"))
        .isEqualTo(Integer.toString(nodes));
    // ServiceSpec.defaultThreshold: n − f with f = ⌊(n − 1) / 3⌋
    String threshold = Integer.toString(Math.max(1, nodes - (nodes - 1) / 3));
    assertThat(orchestrator.get("MPCW_THRESHOLD")).isEqualTo(threshold);
    // the members (etcd-auth is the one-shot that provisions their users)
    List<String> etcd =
        compose.services.keySet().stream().filter(n -> n.matches("etcd-[0-9]+")).toList();
    assertThat(etcd).hasSize(3);
    String endpoints =
        etcd.stream().map(n -> "https://" + n + ":2379").collect(Collectors.joining(","));
    String cluster =
        etcd.stream().map(n -> n + "=https://" + n + ":2380").collect(Collectors.joining(","));
    assertThat(orchestrator.get("MPCW_ETCD_ENDPOINTS")).isEqualTo(endpoints);
    for (Service node : ComposeChecks.nodes(compose)) {
      assertThat(node.environment().get("MPCW_MIN_APPROVALS")).as(node.name()).isEqualTo(threshold);
      assertThat(node.environment().get("MPCW_ETCD_ENDPOINTS"))
          .as(node.name())
          .isEqualTo(endpoints);
      assertThat(node.environment().get("MPCW_REGISTRY_URL")).isEqualTo("http://registry:8000");
    }
    for (String member : etcd) {
      Map<String, String> env = compose.services.get(member).environment();
      assertThat(env.get("ETCD_NAME")).isEqualTo(member);
      assertThat(env.get("ETCD_INITIAL_CLUSTER")).isEqualTo(cluster);
      assertThat(env.get("ETCD_INITIAL_ADVERTISE_PEER_URLS"))
          .isEqualTo("https://" + member + ":2380");
    }
    assertThat(compose.services.get("registry").environment().get("SERVER_PORT"))
        .isEqualTo(orchestrator.get("MPCW_REGISTRY_URL").replaceAll(".*:", ""));
    assertThat(Compose.interpolate(orchestrator.get("MPCW_CHAIN_RPC_URL")))
        .isEqualTo(
            "http://chain:"
                + compose.services.get("chain").environment().get("MPCW_CHAIN_RPC_PORT"));
    assertThat(Repo.read(docker.resolve("postgres/init-databases.sql")))
        .contains("CREATE DATABASE orchestrator;", "CREATE DATABASE registry;");
  }

  @Test
  void noSecretIsWrittenIntoTheRepository() throws IOException {
    assertThat(ComposeChecks.literalSecrets(compose)).isEmpty();
    Map<String, Object> broken = composeCopy();
    @SuppressWarnings("unchecked")
    Map<String, Object> env =
        (Map<String, Object>) service(broken, "orchestrator").get("environment");
    env.put(
        "MPCW_API_KEYS_0_SHA256",
        "cfe22ffacd3891df7aa6c782962f6ef84b3bc384841e9b78a49991a3917425bb");
    assertThat(ComposeChecks.literalSecrets(new Compose(broken)))
        .containsExactly("orchestrator sets the secret MPCW_API_KEYS_0_SHA256 literally");
    try (Stream<Path> files = Files.walk(docker)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Repo.read(file)).as(file.toString()).doesNotContain("PRIVATE KEY-----");
        assertThat(file.getFileName().toString()).doesNotEndWith(".key").doesNotEndWith(".pem");
      }
    }
  }

  @Test
  void bindMountedFilesExist() {
    for (Service s : compose.services.values()) {
      for (Mount m : s.mounts()) {
        if (m.bind()) {
          assertThat(docker.resolve(m.source()).normalize())
              .as(s.name() + " " + m.source())
              .exists();
          assertThat(m.readOnly()).as(s.name() + " " + m.source() + " read-only").isTrue();
        }
      }
    }
  }

  @Test
  void theDashboardQueriesOnlyMetricsTheCodeExportsOrEtcdDocuments() {
    Set<String> jobs = ComposeChecks.scrapeTargets(prometheus).keySet();
    assertThat(ComposeChecks.dashboardMetrics(dashboard, exported, DOCUMENTED, jobs)).isEmpty();
    Set<String> queried = new TreeSet<>();
    ComposeChecks.expressions(dashboard).forEach(e -> queried.addAll(PromQl.metricNames(e)));
    assertThat(queried)
        .contains(
            "orchestration_transactions",
            "orchestration_state_transitions_total",
            "orchestration_stage_duration_seconds_bucket",
            "orchestration_votes_received_total",
            "orchestration_byzantine_evidence_total",
            "registry_nodes",
            "orchestration_signing_duration_seconds_bucket",
            "orchestration_signing_attempts_total",
            "node_signing_duration_seconds_bucket",
            "chain_blocks_height",
            "etcd_server_leader_changes_seen_total",
            "etcd_server_has_leader",
            "etcd_disk_wal_fsync_duration_seconds_bucket",
            "etcd_disk_backend_commit_duration_seconds_bucket");

    ObjectNode broken = dashboard.deepCopy();
    ObjectNode target = (ObjectNode) broken.findValues("targets").get(0).get(0);
    target.put(
        "expr",
        "sum(rate(orchestration_typo_total[5m])) + histogram_quantile(0.9, rate(node_vote_seconds_bucket{job=\"node\"}[1m]))");
    assertThat(ComposeChecks.dashboardMetrics(broken, exported, DOCUMENTED, jobs))
        .anyMatch(p -> p.contains("queries orchestration_typo_total"))
        .anyMatch(p -> p.contains("queries node_vote_seconds_bucket"))
        .anyMatch(p -> p.contains("job=\"node\""));
  }

  @Test
  void exportedSeriesFollowMicrometersPrometheusNaming() {
    String source =
        """
        Timer.builder("node.signing.duration").publishPercentileHistogram().register(r);
        Timer.builder("node.vote").tag("outcome", o).register(r);
        Counter.builder("orchestration_state_transitions_total").register(r);
        Counter.builder("node.votes.cast").register(r);
        Gauge.builder("registry.nodes", n, AtomicLong::doubleValue).register(r);
        meters.summary("orchestration_chain_confirmations").record(c);
        """;
    assertThat(ExportedMeters.seriesOf(source))
        .contains(
            "node_signing_duration_seconds_bucket",
            "node_vote_seconds_count",
            "orchestration_state_transitions_total",
            "node_votes_cast_total",
            "registry_nodes",
            "orchestration_chain_confirmations_max")
        .doesNotContain("node_vote_seconds_bucket", "orchestration_state_transitions_total_total");
    assertThat(exported)
        .contains(
            "orchestration_stage_duration_seconds_bucket", "registry_nodes", "chain_blocks_height");
  }

  @Test
  void promQlMetricNamesLeaveOutFunctionsLabelsGroupingsAndDurations() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, stage) (rate(a_seconds_bucket{stage=\"x\", job=~\"y\"}[$__rate_interval]))) / on (job) b_total offset 5m"))
        .containsExactly("a_seconds_bucket", "b_total");
    assertThat(PromQl.jobs("up{job=\"etcd\"} + up{job=~\"nodes\"}"))
        .containsExactly("etcd", "nodes");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDashboardUsesTheProvisionedPrometheusOfTheComposeFile() {
    Map<String, Object> datasource =
        ((List<Map<String, Object>>)
                Repo.yaml(docker.resolve("grafana/provisioning/datasources/prometheus.yml"))
                    .get("datasources"))
            .get(0);
    String uid = String.valueOf(datasource.get("uid"));
    assertThat(ComposeChecks.datasources(dashboard, uid)).isEmpty();
    assertThat(ComposeChecks.datasources(dashboard, "other-uid")).isNotEmpty();
    assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
    assertThat(compose.services.get("prometheus").ports()).anyMatch(p -> p.target().equals("9090"));

    Map<String, Object> provider =
        ((List<Map<String, Object>>)
                Repo.yaml(docker.resolve("grafana/provisioning/dashboards/mpcw.yml"))
                    .get("providers"))
            .get(0);
    String path = String.valueOf(((Map<String, Object>) provider.get("options")).get("path"));
    Service grafana = compose.services.get("grafana");
    assertThat(grafana.mounts())
        .anyMatch(m -> m.source().equals("./grafana/dashboards") && m.target().equals(path))
        .anyMatch(
            m ->
                m.source().equals("./grafana/provisioning")
                    && m.target().equals("/etc/grafana/provisioning"));
    String home = grafana.environment().get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertThat(home).startsWith(path + "/");
    assertThat(docker.resolve("grafana/dashboards").resolve(home.substring(path.length() + 1)))
        .isRegularFile();
    assertThat(dashboard.path("uid").asText()).isEqualTo("mpcw-pipeline");
  }
}
