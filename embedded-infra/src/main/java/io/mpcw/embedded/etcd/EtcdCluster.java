package io.mpcw.embedded.etcd;

import io.etcd.jetcd.Client;
import io.mpcw.embedded.FreePorts;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.types.etcd.EtcdAccessPolicy;
import io.mpcw.types.etcd.EtcdAccessPolicy.Role;
import io.mpcw.types.etcd.EtcdKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of 1, 3 or 5 members on loopback, started from the {@code etcd} binary, as
 * production runs it: TLS to clients and between members, clients authenticated by their
 * certificate (its CN is the etcd user), authentication enabled, and the least-privilege roles of
 * {@link EtcdAccessPolicy} provisioned on request. Used by the integration tests and by {@code
 * ./mpcw up}; members can be killed and restarted to test faults.
 */
public final class EtcdCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** What etcd logs when a port it is to listen on is taken. */
  private static final String PORT_IN_USE = "address already in use";

  /** With fixed ports, member i serves plain-HTTP metrics on the first client port + 100 + i. */
  public static final int METRICS_PORT_SHIFT = 100;

  private final Path binary;
  private final EtcdPki pki;
  private final List<EtcdMember> members;
  private final String initialCluster;
  private final String token;
  // a temporary cluster's own directory (data, logs, certificates): deleted on close, so that
  // test runs do not fill the disk with one etcd data directory each
  private Optional<Path> deleteOnClose = Optional.empty();

  private EtcdCluster(Path binary, EtcdPki pki, List<EtcdMember> members, String token) {
    this.binary = binary;
    this.pki = pki;
    this.members = List.copyOf(members);
    this.token = token;
    this.initialCluster =
        members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
  }

  /** {@link #start(int, Path, int, EtcdPki)} with the certificates in {@code baseDir/pki}. */
  public static EtcdCluster start(int size, Path baseDir, int firstClientPort) {
    return start(size, baseDir, firstClientPort, EtcdPki.in(baseDir.resolve("pki")));
  }

  /**
   * Starts {@code size} members, waits until every one is healthy, creates the {@code root} user
   * and enables authentication (idempotent on a data directory that already has them). Roles come
   * with {@link #provision}.
   *
   * @param baseDir data and logs go under it (one folder per member)
   * @param firstClientPort fixed client port of member 0 (the others follow, and the metrics ports
   *     are {@link #METRICS_PORT_SHIFT} above), or 0 for free ports
   * @param pki the cluster PKI: the members' and the operator's certificates are created if missing
   */
  public static EtcdCluster start(int size, Path baseDir, int firstClientPort, EtcdPki pki) {
    return start(size, baseDir, firstClientPort, pki, EtcdBinary.locate());
  }

  /**
   * {@link #start(int, Path, int, EtcdPki)} with another executable, e.g. a wrapper that places the
   * member in a cgroup before it opens a socket and then runs etcd with the same arguments.
   */
  public static EtcdCluster start(
      int size, Path baseDir, int firstClientPort, EtcdPki pki, Path binary) {
    if (size != 1 && size != 3 && size != 5) {
      throw new IllegalArgumentException("etcd cluster size must be 1, 3 or 5, not " + size);
    }
    List<EtcdMember> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int client = firstClientPort > 0 ? firstClientPort + 2 * i : FreePorts.next();
      int peer = firstClientPort > 0 ? firstClientPort + 2 * i + 1 : FreePorts.next();
      int metrics =
          firstClientPort > 0 ? firstClientPort + METRICS_PORT_SHIFT + i : FreePorts.next();
      members.add(
          new EtcdMember(
              "etcd-" + i,
              client,
              peer,
              metrics,
              baseDir.resolve("etcd-" + i),
              baseDir.resolve("etcd-" + i + ".log"),
              pki));
    }
    EtcdCluster cluster = new EtcdCluster(binary, pki, members, "mpcw-" + UUID.randomUUID());
    try {
      members.forEach(m -> m.start(binary, cluster.initialCluster, cluster.token));
      cluster.awaitHealthy(START_TIMEOUT);
      try (Client operator = cluster.client(ClusterPki.ETCD_ROOT)) {
        EtcdAuthProvisioning.enableAuth(operator);
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * A throw-away cluster in a temp directory on free ports. A free port is found, released, then
   * bound by etcd: another process may take it in between, so a start that failed on a port in use
   * is tried again on other ports (at most three times).
   */
  public static EtcdCluster startTemporary(int size) {
    for (int attempt = 1; ; attempt++) {
      Path dir;
      try {
        dir = Files.createTempDirectory("mpcw-etcd-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        EtcdCluster cluster = start(size, dir, 0);
        cluster.deleteOnClose = Optional.of(dir);
        return cluster;
      } catch (IllegalStateException e) {
        boolean retry = attempt < 3 && portWasTaken(dir);
        deleteTree(dir);
        if (!retry) {
          throw e;
        }
      }
    }
  }

  private static boolean portWasTaken(Path dir) {
    try (var logs = Files.list(dir)) {
      return logs.filter(f -> f.getFileName().toString().endsWith(".log"))
          .anyMatch(
              f -> {
                try {
                  return Files.readString(f).contains(PORT_IN_USE);
                } catch (IOException e) {
                  return false;
                }
              });
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates the roles and users of {@link EtcdAccessPolicy#roles} for these keys and nodes (adding
   * to what exists: a role provisioned for several key prefixes holds the grants of each).
   */
  public List<Role> provision(EtcdKeys keys, Collection<String> nodeIds) {
    List<Role> roles = EtcdAccessPolicy.roles(keys, nodeIds);
    try (Client operator = client(ClusterPki.ETCD_ROOT)) {
      EtcdAuthProvisioning.provision(operator, roles);
    }
    return roles;
  }

  /**
   * A client authenticated as {@code identity} ({@code root}, {@code orchestrator}, a node id),
   * issuing its certificate from the cluster CA if missing. The caller closes it.
   */
  public Client client(String identity) {
    return EtcdClients.connect(endpoints(), pki.tls(identity));
  }

  public EtcdPki pki() {
    return pki;
  }

  public List<EtcdMember> members() {
    return members;
  }

  /** Client URLs, comma separated, as jetcd and {@code MPCW_ETCD_ENDPOINTS} take them. */
  public String endpoints() {
    return members.stream().map(EtcdMember::clientUrl).collect(Collectors.joining(","));
  }

  public Optional<EtcdMember> leader() {
    return members.stream().filter(EtcdMember::isLeader).findFirst();
  }

  /**
   * Restarts a killed or stopped member on its data directory. The member's ports sit in Linux's
   * ephemeral range (32768–60999), so while it was down another socket may have been given one of
   * them as its local port (a chaos run once lost a restart to that); a start that exits with
   * "address already in use" is tried again each second until the port is free or {@link
   * #START_TIMEOUT} has passed.
   */
  public void restart(EtcdMember member) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      long logMark = member.logSize();
      member.start(binary, initialCluster, token);
      try {
        awaitMemberHealthy(member, Duration.between(Instant.now(), deadline));
        return;
      } catch (IllegalStateException e) {
        boolean portTaken = !member.isRunning() && member.logSince(logMark).contains(PORT_IN_USE);
        if (!portTaken || !Instant.now().plusSeconds(1).isBefore(deadline)) {
          throw e;
        }
        sleep(1_000);
      }
    }
  }

  public void awaitHealthy(Duration timeout) {
    members.forEach(m -> awaitMemberHealthy(m, timeout));
  }

  private static void awaitMemberHealthy(EtcdMember member, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!member.isRunning()) {
        throw new IllegalStateException(
            "etcd member " + member.name() + " exited; see its log next to its data directory");
      }
      if (member.isHealthy()) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "etcd member " + member.name() + " not healthy within " + timeout.toSeconds() + " s");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for etcd", e);
    }
  }

  @Override
  public void close() {
    members.forEach(EtcdMember::close);
    deleteOnClose.ifPresent(EtcdCluster::deleteTree);
  }

  /** Deletes a directory and what it holds; what cannot be deleted is left (best effort). */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a file still held open by a dying process: left for the OS's tmp cleaning
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // best effort, as above
    }
  }
}
