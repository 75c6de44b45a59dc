package io.mpcw.launcher.cluster;

import io.mpcw.embedded.etcd.EtcdBinary;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdPki;
import io.mpcw.embedded.postgres.PostgresServer;
import io.mpcw.types.etcd.EtcdKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The long-running process that owns embedded PostgreSQL and etcd for the local cluster: it keeps
 * their data under {@code .mpcw/data}, signals readiness with a file, and stops both on SIGTERM.
 */
public final class InfraCommand {
  private final Layout layout;

  public InfraCommand(Layout layout) {
    this.layout = layout;
  }

  public int run() {
    PostgresServer postgres =
        PostgresServer.startEmbedded(
            Optional.of(layout.data().resolve("postgres")), layout.postgresPort());
    postgres.ensureDatabase("orchestrator");
    postgres.ensureDatabase("registry");
    EtcdCluster etcd = startEtcd(layout, layout.etcdMembers());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(layout.infraReady());
                  } catch (IOException e) {
                    // the file only signals readiness; a stale one is overwritten on next start
                  }
                  etcd.close();
                  postgres.close();
                  stopped.countDown();
                },
                "stop-infra"));
    try {
      Files.createDirectories(layout.run());
      Files.writeString(
          layout.infraReady(),
          "postgres=" + layout.dbUrl("") + "\netcd=" + etcd.endpoints() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(
        "infrastructure ready: PostgreSQL :" + postgres.port() + ", etcd " + etcd.endpoints());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * etcd with TLS and certificate authentication from the cluster PKI, and a user and role for the
   * orchestrator and for each node of the layout, confined to its own keys.
   */
  static EtcdCluster startEtcd(Layout layout, int members) {
    return startEtcd(layout, members, EtcdBinary.locate());
  }

  /**
   * With {@code binary} in place of the etcd found on the PATH (the chaos run's cgroup wrapper).
   */
  public static EtcdCluster startEtcd(Layout layout, int members, Path binary) {
    EtcdCluster etcd =
        EtcdCluster.start(
            members,
            layout.data().resolve("etcd"),
            layout.etcdClientPort(),
            EtcdPki.in(layout.pki()),
            binary);
    try {
      etcd.provision(EtcdKeys.defaults(), layout.nodeIds());
      return etcd;
    } catch (RuntimeException e) {
      etcd.close();
      throw e;
    }
  }
}
