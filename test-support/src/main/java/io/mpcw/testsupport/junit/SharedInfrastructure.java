package io.mpcw.testsupport.junit;

import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.postgres.PostgresServer;

/**
 * One PostgreSQL server and one single-member etcd per test JVM, started on first use and stopped
 * when the JVM exits, so every test class of a module shares them (starting either costs seconds).
 */
final class SharedInfrastructure {
  private static PostgresServer postgres;
  private static EtcdCluster etcd;

  private SharedInfrastructure() {}

  static synchronized PostgresServer postgres() {
    if (postgres == null) {
      PostgresServer server = PostgresServer.fromEnvironmentOrEmbedded();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-postgres"));
      postgres = server;
    }
    return postgres;
  }

  /** Started like production's (TLS, certificate authentication, auth enabled). */
  static synchronized EtcdCluster etcd() {
    if (etcd == null) {
      EtcdCluster cluster = EtcdCluster.startTemporary(1);
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-etcd"));
      etcd = cluster;
    }
    return etcd;
  }
}
