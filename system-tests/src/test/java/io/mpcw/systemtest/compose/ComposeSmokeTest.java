package io.mpcw.systemtest.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docker/docker-compose.yml run as a user runs it, with the compose command of the host ({@code
 * docker compose} v2, else {@code docker-compose} 1.29), under its own project name (mpcw-smoke:
 * the user's own mpcw stack and its volumes are not touched): every service healthy, the one-shots
 * done, each node with its own PKI and share key from init, three etcd members in one cluster, the
 * default wallet funded by the chain simulator's faucet, a payment to {@code confirmed} through the
 * REST API, Prometheus with every target up; then {@code restart orchestrator} and one more payment
 * confirms; {@code down -v} at the end. Images missing on the host are built by {@code up}.
 *
 * <p>Skipped, with one line saying why, where no Docker engine answers. Environment: the
 * MPCW_*_IMAGE variables pass through (docker/offline-images.sh); MPCW_COMPOSE_SKIP names services
 * to leave out (comma-separated, e.g. grafana where its image cannot be had).
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class ComposeSmokeTest {
  private static final String PROJECT = "mpcw-smoke";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Set<String> FAILED =
      Set.of("rejected", "aborted_byzantine", "failed", "cancelled");
  private static final Set<String> ONE_SHOTS = Set.of("init", "etcd-auth");

  /** A valid regtest P2TR address nobody holds the key of. */
  private static final String RECIPIENT =
      "bcrt1pqypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwxqergd3c8g7rusq58nmtx";

  /** Published on 127.0.0.1 by docker-compose.yml. */
  private static final String API = "http://127.0.0.1:8081";

  private static final String CHAIN = "http://127.0.0.1:18443";
  private static final String PROMETHEUS = "http://127.0.0.1:9090";
  private static final String GRAFANA = "http://127.0.0.1:3000";
  private static final int[] PUBLISHED = {
    8000, 8081, 8101, 8102, 8103, 8104, 8105, 9000, 9081, 9090, 18443, 3000
  };

  private static final String SUBMIT_KEY = "smoke_s_" + random();
  private static final String READ_KEY = "smoke_r_" + random();
  private static final String CHAIN_USER = "smoke";
  private static final String CHAIN_PASSWORD = random();

  private static ComposeCli cli;
  private static String skipped;
  private static final Instant STARTED = Instant.now();
  private static final String FILE = "docker/docker-compose.yml";

  @BeforeAll
  static void engine() {
    StringBuilder whyNot = new StringBuilder();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MPCW_SUBMIT_KEY", SUBMIT_KEY);
    env.put("MPCW_READ_KEY", READ_KEY);
    env.put("MPCW_CHAIN_RPC_USER", CHAIN_USER);
    env.put("MPCW_CHAIN_RPC_PASSWORD", CHAIN_PASSWORD);
    cli = ComposeCli.find(Repo.root(), env, whyNot).orElse(null);
    skipped = cli == null ? "ComposeSmokeTest skipped: " + whyNot : null;
  }

  @AfterAll
  static void down() {
    if (cli != null) {
      ComposeCli.Result down = compose(Duration.ofMinutes(5), "down", "-v", "--remove-orphans");
      log("down -v: exit " + down.exit());
    }
  }

  @Test
  void theStackStartsPaysSurvivesAnOrchestratorRestartAndPaysAgain() throws Exception {
    // in the test, not in @BeforeAll: surefire counts and reports a skipped test, not a lost class
    Assumptions.assumeTrue(skipped == null, skipped);
    for (int port : PUBLISHED) {
      assertThat(listening(port))
          .as("127.0.0.1:%d is taken (another compose stack or ./mpcw up?); stop it first", port)
          .isFalse();
    }
    List<String> services = services();
    log(cli.name() + ", project " + PROJECT + ", services " + services);
    try {
      Instant up = Instant.now();
      List<String> upArgs = new ArrayList<>(List.of("up", "-d"));
      upArgs.addAll(services);
      ComposeCli.Result started = compose(Duration.ofMinutes(40), upArgs.toArray(String[]::new));
      assertThat(started.exit()).as(tail(started.output())).isZero();
      log("up -d returned after " + since(up));

      Map<String, String> states = awaitHealthy(services, Duration.ofMinutes(5));
      log("every service healthy, the one-shots exited 0 (" + since(up) + "): " + states);

      initGaveEachIdentityItsOwnFiles();
      etcdIsOneClusterOfThree();

      String address = defaultWalletAddress();
      // two outputs: the second payment need not wait for the first one's change
      rpc("sendtoaddress", "[\"" + address + "\", 0.01]");
      rpc("sendtoaddress", "[\"" + address + "\", 0.01]");
      rpc("generatetoaddress", "[1, \"" + address + "\"]");
      log("default wallet " + address + " funded (" + since(up) + ")");

      JsonNode first = pay();
      log("FIRST PAYMENT CONFIRMED " + first.path("id").asText() + ": " + since(up) + " after up");

      allTargetsUp();
      if (services.contains("grafana")) {
        assertThat(
                await(
                    Duration.ofMinutes(1),
                    "the Grafana dashboard",
                    () -> get(GRAFANA + "/api/dashboards/uid/mpcw-pipeline", null)))
            .isNotNull();
        log("Grafana serves the dashboard mpcw-pipeline");
      }

      Instant restart = Instant.now();
      ComposeCli.Result restarted = compose(Duration.ofMinutes(3), "restart", "orchestrator");
      assertThat(restarted.exit()).as(tail(restarted.output())).isZero();
      awaitHealthy(services, Duration.ofMinutes(5));
      log("orchestrator restarted and healthy after " + since(restart));
      JsonNode second = pay();
      log(
          "SECOND PAYMENT CONFIRMED "
              + second.path("id").asText()
              + ": "
              + since(restart)
              + " after the restart");
    } catch (Throwable failure) {
      log("failed: " + failure.getMessage());
      log(compose(Duration.ofMinutes(1), "ps", "-a").output());
      log(tail(compose(Duration.ofMinutes(1), "logs", "--no-color", "--tail", "40").output()));
      throw failure;
    }
  }

  /** The services a plain `up` starts (no profile), less MPCW_COMPOSE_SKIP. */
  private static List<String> services() {
    Set<String> skip = new HashSet<>();
    String skipped = System.getenv().getOrDefault("MPCW_COMPOSE_SKIP", "");
    Arrays.stream(skipped.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(skip::add);
    Compose compose = new Compose(Repo.yaml(Repo.docker().resolve("docker-compose.yml")));
    List<String> out = new ArrayList<>();
    compose.services.values().stream()
        .filter(s -> s.profiles().isEmpty() && !skip.contains(s.name()))
        .forEach(s -> out.add(s.name()));
    if (!skip.isEmpty()) {
      log("left out (MPCW_COMPOSE_SKIP): " + skip);
    }
    return out;
  }

  /** Every service's container: the one-shots exited 0, the others running and healthy. */
  private static Map<String, String> awaitHealthy(List<String> services, Duration timeout)
      throws Exception {
    Map<String, String> last = new TreeMap<>();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      last = states();
      boolean done = last.keySet().containsAll(services);
      for (String service : services) {
        String state = last.getOrDefault(service, "absent");
        boolean oneShot = ONE_SHOTS.contains(service);
        if (state.startsWith("exited") && !(oneShot && state.equals("exited 0 none"))) {
          fail(service + " stopped: " + state);
        }
        done &= state.equals(oneShot ? "exited 0 none" : "running 0 healthy");
      }
      if (done) {
        return last;
      }
      Thread.sleep(2000);
    }
    return fail("not every service healthy after " + timeout + ": " + last);
  }

  /** service -> "status exitcode health" of its containers (one per service here). */
  private static Map<String, String> states() {
    ComposeCli.Result ids = compose(Duration.ofSeconds(30), "ps", "-a", "-q");
    assertThat(ids.exit()).as(ids.output()).isZero();
    List<String> args =
        new ArrayList<>(
            List.of(
                "inspect",
                "--format",
                "{{index .Config.Labels \"com.docker.compose.service\"}} {{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}"));
    ids.output()
        .lines()
        .map(String::strip)
        .filter(l -> l.matches("[0-9a-f]{12,64}"))
        .forEach(args::add);
    Map<String, String> out = new TreeMap<>();
    if (args.size() == 3) {
      return out;
    }
    ComposeCli.Result inspected = cli.docker(Duration.ofSeconds(30), args.toArray(String[]::new));
    assertThat(inspected.exit()).as(inspected.output()).isZero();
    inspected
        .output()
        .lines()
        .filter(l -> !l.isBlank())
        .forEach(
            l -> {
              int space = l.indexOf(' ');
              out.put(l.substring(0, space), l.substring(space + 1));
            });
    return out;
  }

  /** init's work: each node has the CA, its own key pair and share key, no other node's key. */
  private static void initGaveEachIdentityItsOwnFiles() {
    for (int i = 1; i <= 5; i++) {
      String node = "node-" + i;
      ComposeCli.Result files =
          compose(
              Duration.ofSeconds(30),
              "exec",
              "-T",
              node,
              "ls",
              "/var/lib/mpcw/pki",
              "/var/lib/mpcw/keys");
      assertThat(files.exit()).as(files.output()).isZero();
      assertThat(files.output().lines().map(String::strip).toList())
          .contains("ca.crt", node + ".crt", node + ".key", "share.key")
          .noneMatch(f -> f.endsWith(".key") && !f.equals(node + ".key") && !f.equals("share.key"));
    }
    ComposeCli.Result keys =
        compose(Duration.ofMinutes(2), "run", "--rm", "--no-deps", "init", "keys");
    assertThat(keys.output())
        .as("init keeps the API keys it was given")
        .contains(SUBMIT_KEY, READ_KEY);
    log("init: CA, each node's own key pair and share key, the API keys");
  }

  /** Three members, one cluster id, one leader among them. */
  private static void etcdIsOneClusterOfThree() throws IOException {
    ComposeCli.Result status =
        compose(
            Duration.ofSeconds(30),
            "exec",
            "-T",
            "etcd-1",
            "etcdctl",
            "--endpoints=https://127.0.0.1:2379",
            "--cacert=/var/lib/etcd/pki/ca.crt",
            "--cert=/var/lib/etcd/pki/etcd.crt",
            "--key=/var/lib/etcd/pki/etcd.key",
            "--command-timeout=5s",
            "endpoint",
            "status",
            "--cluster",
            "-w",
            "json");
    assertThat(status.exit()).as(status.output()).isZero();
    String json = status.output().substring(status.output().indexOf('['));
    JsonNode members = Repo.JSON.readTree(json);
    Set<String> ids = new HashSet<>();
    Set<String> clusters = new HashSet<>();
    Set<String> leaders = new HashSet<>();
    Set<String> endpoints = new HashSet<>();
    for (JsonNode m : members) {
      endpoints.add(m.path("Endpoint").asText());
      ids.add(m.path("Status").path("header").path("member_id").asText());
      clusters.add(m.path("Status").path("header").path("cluster_id").asText());
      leaders.add(m.path("Status").path("leader").asText());
    }
    assertThat(endpoints)
        .containsExactlyInAnyOrder(
            "https://etcd-1:2379", "https://etcd-2:2379", "https://etcd-3:2379");
    assertThat(ids).hasSize(3);
    assertThat(clusters).hasSize(1);
    assertThat(leaders).hasSize(1);
    assertThat(ids).containsAll(leaders);
    log("etcd: 3 members " + endpoints + ", one cluster " + clusters + ", leader " + leaders);
  }

  private static String defaultWalletAddress() throws Exception {
    JsonNode wallet =
        await(
            Duration.ofMinutes(3),
            "the default wallet's DKG",
            () ->
                get(API + "/api/v1/wallets", READ_KEY)
                    .flatMap(
                        list -> {
                          for (JsonNode w : list.path("wallets")) {
                            if (w.path("is_default").asBoolean(false)
                                && "ready".equals(w.path("status").asText())) {
                              return Optional.of(w);
                            }
                          }
                          return Optional.empty();
                        }));
    return wallet.path("address").asText();
  }

  /** A payment through the REST API, awaited to confirmed. */
  private static JsonNode pay() throws Exception {
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(API + "/api/v1/transactions"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + SUBMIT_KEY)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"recipient\":\"" + RECIPIENT + "\",\"amount_sats\":10000}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Repo.JSON.readTree(created.body()).path("id").asText();
    JsonNode confirmed =
        await(
            Duration.ofMinutes(3),
            "transaction " + id + " confirmed",
            () -> {
              Optional<JsonNode> tx = get(API + "/api/v1/transactions/" + id, READ_KEY);
              tx.filter(t -> FAILED.contains(t.path("state").asText()))
                  .ifPresent(t -> fail("the payment ended " + t.path("state").asText() + ": " + t));
              return tx.filter(t -> "confirmed".equals(t.path("state").asText()));
            });
    assertThat(confirmed.path("chain").path("confirmations").asInt()).isPositive();
    assertThat(confirmed.path("voting").path("approvals").asInt()).isGreaterThanOrEqualTo(4);
    return confirmed;
  }

  /** Prometheus scrapes its 12 targets (itself, registry, orchestrator, 5 nodes, chain, 3 etcd). */
  private static void allTargetsUp() throws Exception {
    JsonNode targets =
        await(
            Duration.ofMinutes(1),
            "every scrape target up",
            () ->
                get(PROMETHEUS + "/api/v1/targets?state=active", null)
                    .filter(
                        t -> {
                          JsonNode active = t.path("data").path("activeTargets");
                          if (active.size() < 12) {
                            return false;
                          }
                          for (JsonNode target : active) {
                            if (!"up".equals(target.path("health").asText())) {
                              return false;
                            }
                          }
                          return true;
                        }));
    List<String> up = new ArrayList<>();
    targets
        .path("data")
        .path("activeTargets")
        .forEach(
            t ->
                up.add(
                    t.path("labels").path("job").asText()
                        + "/"
                        + t.path("labels").path("instance").asText()));
    assertThat(up).hasSize(12);
    log("Prometheus: every target up " + up);
  }

  private static ComposeCli.Result compose(Duration timeout, String... args) {
    List<String> full = new ArrayList<>(List.of("-p", PROJECT, "-f", FILE));
    full.addAll(List.of(args));
    return cli.compose(timeout, full.toArray(String[]::new));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<JsonNode> get(String url, String key) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
      if (key != null) {
        request.header("Authorization", "Bearer " + key);
      }
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(Repo.JSON.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode rpc(String method, String params) throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString((CHAIN_USER + ":" + CHAIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(CHAIN + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"1.0\",\"id\":\"smoke\",\"method\":\""
                            + method
                            + "\",\"params\":"
                            + params
                            + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = Repo.JSON.readTree(response.body());
    assertThat(body.path("error").isNull()).as(method + ": " + response.body()).isTrue();
    return body.path("result");
  }

  private interface Poll {
    Optional<JsonNode> attempt() throws Exception;
  }

  /** Polls once a second until the deadline: a bounded loop. */
  private static JsonNode await(Duration timeout, String what, Poll poll) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> result = poll.attempt();
      if (result.isPresent()) {
        return result.get();
      }
      Thread.sleep(1000);
    }
    return fail("timed out waiting for " + what);
  }

  private static String since(Instant start) {
    Duration d = Duration.between(start, Instant.now());
    return d.toSeconds() + "." + (d.toMillis() % 1000) / 100 + " s";
  }

  private static void log(String line) {
    System.out.println("[compose-smoke +" + since(STARTED) + "] " + line);
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static String random() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
