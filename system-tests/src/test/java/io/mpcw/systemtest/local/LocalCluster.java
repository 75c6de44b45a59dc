package io.mpcw.systemtest.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local cluster exactly as {@code ./mpcw up} runs it — separate processes started by the launcher
 * jar — moved to its own state directory and ports ({@code MPCW_HOME}, {@code MPCW_PORT_OFFSET}) so
 * it never meets a developer's own cluster. Tests drive it through the real interfaces: the
 * launcher's commands, the REST API, the chain's JSON-RPC, and signals to the processes.
 */
final class LocalCluster implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path repo;
  private final Path home;
  private final int portOffset;
  private Map<String, String> credentials = Map.of();

  LocalCluster(Path home, int portOffset) {
    this.repo = Path.of(System.getProperty("mpcw.repo", "..")).toAbsolutePath().normalize();
    this.home = home;
    this.portOffset = portOffset;
  }

  Path home() {
    return home;
  }

  /** {@code ./mpcw up} (without the build step); fails the caller if it does not exit 0. */
  String up(String... extra) {
    List<String> args = new ArrayList<>(List.of("up"));
    args.addAll(List.of(extra));
    Result result = launcher(Duration.ofMinutes(5), args.toArray(String[]::new));
    if (result.exit() != 0) {
      throw new IllegalStateException(
          "./mpcw up exited " + result.exit() + ":\n" + result.output() + logTails());
    }
    credentials = readCredentials();
    return result.output();
  }

  Result launcher(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Dmpcw.repo=" + repo);
    command.add("-jar");
    command.add(repo.resolve("launcher/target/mpcw-launcher.jar").toString());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("mpcw-launcher", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(repo.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      pb.environment().put("MPCW_HOME", home.toString());
      pb.environment().put("MPCW_PORT_OFFSET", Integer.toString(portOffset));
      Process process = pb.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "launcher " + args[0] + " did not finish within " + timeout + ":\n" + read(out));
      }
      String output = read(out);
      Files.deleteIfExists(out);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Result(int exit, String output) {}

  /** The live process of {@code name} (e.g. {@code orchestrator}, {@code node-3}). */
  Optional<ProcessHandle> process(String name) {
    Path pid = home.resolve("run").resolve(name + ".pid");
    try {
      return Files.exists(pid)
          ? ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
              .filter(ProcessHandle::isAlive)
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL, as a crash: no shutdown hook, no deregistration, nothing flushed. */
  void kill(String name) {
    ProcessHandle handle =
        process(name).orElseThrow(() -> new IllegalStateException(name + " is not running"));
    handle.destroyForcibly();
    await(Duration.ofSeconds(20), () -> !handle.isAlive(), name + " to die");
  }

  // --- the REST API -------------------------------------------------------------------------

  String apiUrl() {
    return "http://127.0.0.1:" + (8081 + portOffset);
  }

  JsonNode get(String path) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .header("Authorization", "Bearer " + credentials.get("MPCW_READ_KEY"))
                .GET());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " → " + r.statusCode() + " " + r.body());
    }
    return parse(r.body());
  }

  /** GET, or empty while the orchestrator does not answer (e.g. it is being restarted). */
  Optional<JsonNode> tryGet(String path) {
    try {
      return Optional.of(get(path));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  HttpResponse<String> post(String path, String body, String idempotencyKey) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(apiUrl() + path))
            .header("Authorization", "Bearer " + credentials.get("MPCW_SUBMIT_KEY"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b);
  }

  /** Submits a payment and returns its id. */
  String pay(String recipient, long sats, String idempotencyKey) {
    HttpResponse<String> r =
        post(
            "/api/v1/transactions",
            "{\"recipient\":\"" + recipient + "\",\"amount_sats\":" + sats + "}",
            idempotencyKey);
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw new IllegalStateException("payment refused: " + r.statusCode() + " " + r.body());
    }
    return parse(r.body()).path("id").asText();
  }

  String state(String txId) {
    return tryGet("/api/v1/transactions/" + txId).map(t -> t.path("state").asText()).orElse("?");
  }

  /** Waits until every transaction satisfies {@code done}; returns the final views. */
  Map<String, JsonNode> awaitAll(List<String> ids, Predicate<JsonNode> done, Duration timeout) {
    Map<String, JsonNode> views = new LinkedHashMap<>();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (String id : ids) {
        if (!views.containsKey(id)) {
          tryGet("/api/v1/transactions/" + id).filter(done).ifPresent(v -> views.put(id, v));
        }
      }
      if (views.size() == ids.size()) {
        return views;
      }
      sleep(500);
    }
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      if (!views.containsKey(id)) {
        missing.add(id + "=" + state(id));
      }
    }
    throw new AssertionError(
        "not done within " + timeout + ": " + missing + logTails("orchestrator"));
  }

  // --- the chain's JSON-RPC -----------------------------------------------------------------

  JsonNode rpc(String method, Object... params) {
    ObjectNode call = JSON.createObjectNode().put("jsonrpc", "1.0").put("id", 1);
    call.put("method", method);
    var array = call.putArray("params");
    for (Object p : params) {
      array.addPOJO(p);
    }
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (credentials.get("MPCW_CHAIN_RPC_USER")
                        + ":"
                        + credentials.get("MPCW_CHAIN_RPC_PASSWORD"))
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(credentials.get("MPCW_CHAIN_RPC_URL")))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.toString())));
    JsonNode body = parse(r.body());
    if (!body.path("error").isNull() && !body.path("error").isMissingNode()) {
      throw new IllegalStateException(method + " failed: " + body.path("error"));
    }
    return body.path("result");
  }

  /** Every transaction in the chain's blocks, as {@code getblock <hash> 2} returns them. */
  List<JsonNode> chainTransactions() {
    List<JsonNode> txs = new ArrayList<>();
    long height = rpc("getblockcount").asLong();
    for (long h = 0; h <= height; h++) {
      JsonNode block = rpc("getblock", rpc("getblockhash", h).asText(), 2);
      block.path("tx").forEach(txs::add);
    }
    return txs;
  }

  /** GET a JSON document without authentication (e.g. Prometheus' API). */
  static JsonNode getJson(String url) {
    try {
      return parse(send(HttpRequest.newBuilder(URI.create(url)).GET()).body());
    } catch (RuntimeException e) {
      return JSON.createObjectNode();
    }
  }

  static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  /** Removes the cluster's state directory (after {@link #close}). */
  void deleteHome() {
    try (var paths = Files.walk(home)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + home, e);
    }
  }

  // --- plumbing -----------------------------------------------------------------------------

  String logTails(String... names) {
    StringBuilder out = new StringBuilder();
    List<String> which = names.length > 0 ? List.of(names) : List.of("orchestrator", "infra");
    for (String name : which) {
      Path log = home.resolve("logs").resolve(name + ".log");
      try {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        out.append("\n--- last lines of ").append(name).append(".log ---\n");
        lines
            .subList(Math.max(0, lines.size() - 25), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        out.append("(cannot read ").append(log).append(")\n");
      }
    }
    return out.toString();
  }

  private Map<String, String> readCredentials() {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(home.resolve("credentials.env"))) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return values;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  static void await(Duration timeout, java.util.function.BooleanSupplier ready, String what) {
    Instant deadline = Instant.now().plus(timeout);
    while (!ready.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      sleep(200);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code ./mpcw down}; the state directory stays for a failed run's post-mortem. */
  @Override
  public void close() {
    launcher(Duration.ofMinutes(2), "down");
  }
}
