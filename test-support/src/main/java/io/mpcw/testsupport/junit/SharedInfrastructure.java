package io.mpcw.testsupport.junit;

import io.mpcw.testsupport.etcd.EtcdCluster;
import io.mpcw.testsupport.postgres.PostgresServer;

/**
 * One PostgreSQL server and one single-member etcd per test JVM, started on first use and stopped
 * when the JVM exits, so every test class of a module shares them (starting either costs seconds).
 */
final class SharedInfrastructure {
  private static PostgresServer postgres;
  private static String etcdEndpoints;

  private SharedInfrastructure() {}

  static synchronized PostgresServer postgres() {
    if (postgres == null) {
      PostgresServer server = PostgresServer.fromEnvironmentOrEmbedded();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-postgres"));
      postgres = server;
    }
    return postgres;
  }

  static synchronized String etcdEndpoints() {
    if (etcdEndpoints == null) {
      String external = System.getenv(EtcdCluster.ENV_ENDPOINTS);
      if (external != null && !external.isBlank()) {
        etcdEndpoints = external;
      } else {
        EtcdCluster cluster = EtcdCluster.startTemporary(1);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-etcd"));
        etcdEndpoints = cluster.endpoints();
      }
    }
    return etcdEndpoints;
  }
}
