package io.mpcw.embedded.etcd;

import io.etcd.jetcd.Client;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.transport.pki.ClusterPki;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One etcd process on loopback, TLS to clients and peers, clients authenticated by certificate; can
 * be killed and restarted on its data directory.
 */
public final class EtcdMember {
  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final int metricsPort;
  private final Path dataDir;

  /** How much history etcd keeps (and how often it compacts): nothing reads older revisions. */
  public static final String AUTO_COMPACTION_RETENTION = "1m";

  private final Path logFile;
  private final EtcdPki pki;
  private final HttpClient http;
  private Optional<Process> process = Optional.empty();
  private Client operator;

  EtcdMember(
      String name,
      int clientPort,
      int peerPort,
      int metricsPort,
      Path dataDir,
      Path logFile,
      EtcdPki pki) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.metricsPort = metricsPort;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.pki = pki;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .sslContext(pki.rootSslContext())
            .build();
  }

  public String name() {
    return name;
  }

  public String clientUrl() {
    return "https://127.0.0.1:" + clientPort;
  }

  String peerUrl() {
    return "https://127.0.0.1:" + peerPort;
  }

  /**
   * Plain-HTTP {@code /metrics} and {@code /health} only (no keys), so Prometheus needs no etcd
   * certificate.
   */
  public String metricsUrl() {
    return "http://127.0.0.1:" + metricsPort;
  }

  /** Where the member writes its log (etcd's own output). */
  public Path logFile() {
    return logFile;
  }

  public int clientPort() {
    return clientPort;
  }

  public int peerPort() {
    return peerPort;
  }

  /** The log's length now, to read later only what a start wrote ({@link #logSince}). */
  long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the member logged after {@code offset} (from {@link #logSize}). */
  String logSince(long offset) {
    try {
      byte[] log = Files.exists(logFile) ? Files.readAllBytes(logFile) : new byte[0];
      int from = (int) Math.min(offset, log.length);
      return new String(log, from, log.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Long> pid() {
    return process.filter(Process::isAlive).map(Process::pid);
  }

  synchronized void start(Path binary, String initialCluster, String token) {
    if (process.filter(Process::isAlive).isPresent()) {
      return;
    }
    EtcdTlsFiles server = pki.server();
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
            "--listen-metrics-urls",
            metricsUrl(),
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
            // clients: TLS, and the certificate's CN is the etcd user (no passwords in use)
            "--cert-file",
            server.certificate().toString(),
            "--key-file",
            server.privateKey().toString(),
            "--trusted-ca-file",
            server.caCertificate().toString(),
            "--client-cert-auth",
            // peers: TLS both ways, and only the members' own certificate may join
            "--peer-cert-file",
            server.certificate().toString(),
            "--peer-key-file",
            server.privateKey().toString(),
            "--peer-trusted-ca-file",
            server.caCertificate().toString(),
            "--peer-client-cert-auth",
            "--peer-cert-allowed-cn",
            ClusterPki.ETCD_SERVER,
            // every payment writes about n + 2t + 1 keys and nothing reads an old revision: without
            // compaction etcd kept every revision, and after ~300,000 of them (a vote bench and
            // 15,000 payments) it spent 300 ms of CPU per payment instead of 5–15
            // (docs/benchmarks.md); compacting once a minute keeps the history short
            "--auto-compaction-mode",
            "periodic",
            "--auto-compaction-retention",
            AUTO_COMPACTION_RETENTION,
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

  /** True when this member reports itself as the Raft leader (asked as the operator). */
  public boolean isLeader() {
    if (!isRunning()) {
      return false;
    }
    try {
      var status =
          operator().getMaintenanceClient().statusMember(clientUrl()).get(2, TimeUnit.SECONDS);
      return status.getHeader().getMemberId() == status.getLeader();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private synchronized Client operator() {
    if (operator == null) {
      operator = EtcdClients.connect(List.of(clientUrl()), pki.tls(ClusterPki.ETCD_ROOT));
    }
    return operator;
  }

  /** Stops the process and releases the operator connection used for status. */
  synchronized void close() {
    stop();
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  private Optional<String> get(String path) {
    if (!isRunning()) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(clientUrl() + path))
                  .GET()
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
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
