package io.mpcw.testsupport.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One etcd process on loopback; can be killed and restarted on its data directory. */
public final class EtcdMember {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"?(\\d+)");
  private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)");

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final Path dataDir;
  private final Path logFile;
  private Optional<Process> process = Optional.empty();

  EtcdMember(String name, int clientPort, int peerPort, Path dataDir, Path logFile) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.dataDir = dataDir;
    this.logFile = logFile;
  }

  public String name() {
    return name;
  }

  public String clientUrl() {
    return "http://127.0.0.1:" + clientPort;
  }

  String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  public int clientPort() {
    return clientPort;
  }

  public Optional<Long> pid() {
    return process.filter(Process::isAlive).map(Process::pid);
  }

  synchronized void start(Path binary, String initialCluster, String token) {
    if (process.filter(Process::isAlive).isPresent()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(
        List.of(
            "--name",
            name,
            "--data-dir",
            dataDir.toString(),
            "--listen-client-urls",
            clientUrl(),
            "--advertise-client-urls",
            clientUrl(),
            "--listen-peer-urls",
            peerUrl(),
            "--initial-advertise-peer-urls",
            peerUrl(),
            "--initial-cluster",
            initialCluster,
            "--initial-cluster-token",
            token,
            "--initial-cluster-state",
            "new",
            "--logger",
            "zap",
            "--log-outputs",
            "stderr"));
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(logFile.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      process = Optional.of(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd member " + name, e);
    }
  }

  /** SIGKILL: no goodbye to the cluster, as a crash. */
  public synchronized void kill() {
    process.ifPresent(
        p -> {
          p.destroyForcibly();
          waitFor(p);
        });
    process = Optional.empty();
  }

  /** SIGTERM, waiting for the member to exit (a leader may take seconds). */
  public synchronized void stop() {
    process.ifPresent(
        p -> {
          p.destroy();
          if (!waitFor(p)) {
            p.destroyForcibly();
            waitFor(p);
          }
        });
    process = Optional.empty();
  }

  public boolean isRunning() {
    return process.filter(Process::isAlive).isPresent();
  }

  public boolean isHealthy() {
    return get("/health").map(body -> body.contains("\"true\"")).orElse(false);
  }

  /** True when this member reports itself as the Raft leader. */
  public boolean isLeader() {
    Optional<String> status = post("/v3/maintenance/status", "{}");
    if (status.isEmpty()) {
      return false;
    }
    Matcher id = MEMBER_ID.matcher(status.get());
    Matcher leader = LEADER.matcher(status.get());
    return id.find() && leader.find() && id.group(1).equals(leader.group(1));
  }

  private Optional<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(clientUrl() + path)).GET());
  }

  private Optional<String> post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(clientUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Optional<String> send(HttpRequest.Builder request) {
    if (!isRunning()) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static boolean waitFor(Process p) {
    try {
      return p.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
