package io.mpcw.orchestrator.support;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.orchestrator.security.ApiKeyRegistry;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.testsupport.junit.PostgresExtension;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Spring context on real PostgreSQL for every orchestrator integration test class (same
 * database and properties, so Spring caches and shares it). The context's own engine is off: tests
 * drive engines they build, so they decide when work is claimed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
public abstract class OrchestratorTestBase {
  public static final String SUBMIT_KEY = "submit-key-for-tests-0123456789abcdef";
  public static final String READ_KEY = "read-key-for-tests-0123456789abcdef";

  /** A regtest Taproot address (output key 0x01..0x20). */
  public static final String ADDRESS = SegwitAddress.encode(Network.REGTEST, 1, sequence(32));

  /** The same kind of address on mainnet: refused on a regtest cluster. */
  public static final String MAINNET_ADDRESS =
      SegwitAddress.encode(Network.MAINNET, 1, sequence(32));

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension("orchestrator_it");
  @RegisterExtension public static final EtcdExtension ETCD = EtcdExtension.shared();
  protected static final FakeRegistry REGISTRY = new FakeRegistry();
  protected static final TestCluster CLUSTER = TestCluster.shared();
  protected static final TestChain CHAIN = TestChain.shared();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", PG::jdbcUrl);
    registry.add("spring.datasource.username", PG::username);
    registry.add("spring.datasource.password", PG::password);
    registry.add("management.server.port", () -> "0");
    registry.add("mpcw.pipeline.enabled", () -> "false");
    registry.add("mpcw.lifecycle.enabled", () -> "false");
    registry.add("mpcw.lifecycle.request-deadline", () -> "2s");
    registry.add("mpcw.lifecycle.lease", () -> "10s");
    registry.add("mpcw.lifecycle.retry-delay", () -> "50ms");
    registry.add("mpcw.registry.url", REGISTRY::url);
    // test cases replace nodes (new QUIC ports) between each other and expect the very next stage
    // to see them; RegistryNodeListTtlTest covers the cache itself
    registry.add("mpcw.registry.node-list-ttl", () -> "0s");
    registry.add("mpcw.pki.dir", () -> CLUSTER.pkiDir().toString());
    registry.add("mpcw.etcd.endpoints", ETCD::endpoints);
    registry.add("mpcw.etcd.prefix", ETCD::keyPrefix);
    registry.add("mpcw.etcd.tls.certificate", () -> ETCD.tls("orchestrator").certificate());
    registry.add("mpcw.etcd.tls.private-key", () -> ETCD.tls("orchestrator").privateKey());
    registry.add("mpcw.etcd.tls.ca-certificate", () -> ETCD.tls("orchestrator").caCertificate());
    registry.add("mpcw.voting.request-deadline", () -> "1s");
    registry.add("mpcw.voting.retry-interval", () -> "100ms");
    registry.add("mpcw.metrics.state-count-interval", () -> "200ms");
    registry.add("mpcw.metrics.terminal-state-count-interval", () -> "200ms");
    registry.add("mpcw.dkg.request-deadline", () -> "2s");
    registry.add("mpcw.dkg.deadline", () -> "10s");
    registry.add("mpcw.wallet.keygen-interval", () -> "200ms");
    registry.add("mpcw.wallet.keygen-backoff-min", () -> "200ms");
    registry.add("mpcw.wallet.keygen-backoff-max", () -> "1s");
    registry.add("mpcw.chain.rpc-url", CHAIN::url);
    registry.add("mpcw.chain.rpc-user", () -> TestChain.USER);
    registry.add("mpcw.chain.rpc-password", () -> TestChain.PASSWORD);
    registry.add("mpcw.chain.poll-interval", () -> "100ms");
    // a payment waiting for its block is confirmed only through the follower's wake-up: a missed
    // wake-up leaves it broadcasting and the test waiting for it fails
    registry.add("mpcw.chain.confirmation-recheck", () -> "1h");
    registry.add("mpcw.signing.request-deadline", () -> "1s");
    registry.add("mpcw.signing.retry-delay", () -> "50ms");
    // below the 1 s deadline, so a sibling session starts before a withheld request times out
    registry.add("mpcw.signing.sibling-grace", () -> "500ms");
    registry.add("mpcw.admission.max-in-flight", () -> "100");
    registry.add("mpcw.admission.retry-after", () -> "2s");
    // the admission tests change the rows it counts between requests: count for every request
    registry.add("mpcw.admission.recount", () -> "0s");
    registry.add("mpcw.api.keys[0].name", () -> "submitter");
    registry.add("mpcw.api.keys[0].role", () -> "submit");
    registry.add("mpcw.api.keys[0].sha256", () -> sha256Hex(SUBMIT_KEY));
    registry.add("mpcw.api.keys[1].name", () -> "reader");
    registry.add("mpcw.api.keys[1].role", () -> "read");
    registry.add("mpcw.api.keys[1].sha256", () -> sha256Hex(READ_KEY));
  }

  @LocalServerPort protected int port;
  @LocalManagementPort protected int managementPort;
  @Autowired protected JdbcClient jdbc;
  protected Api api;

  @BeforeEach
  void cleanDatabaseAndConnect() {
    // the context's own background work (the chain follower) may hold some of these tables'
    // locks: PostgreSQL then breaks a lock cycle by failing one side, and the TRUNCATE is tried
    // again
    for (int attempt = 1; ; attempt++) {
      try {
        jdbc.sql(
                "TRUNCATE transaction_history, idempotency_keys, votes, voting_rounds,"
                    + " signing_sessions, signing_attempts, utxos, transactions")
            .update();
        break;
      } catch (org.springframework.dao.PessimisticLockingFailureException deadlock) {
        if (attempt == 3) {
          throw deadlock;
        }
      }
    }
    REGISTRY.reset();
    api = new Api("http://127.0.0.1:" + port);
  }

  protected long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  /** The payment's state as stored. */
  protected String state(UUID id) {
    return jdbc.sql("SELECT state FROM transactions WHERE id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  /** The payment row version's creating transaction: changes with every UPDATE of the row. */
  protected long rowVersion(UUID txId) {
    return jdbc.sql("SELECT xmin::text::bigint FROM transactions WHERE id = ?")
        .param(txId)
        .query(Long.class)
        .single();
  }

  private static byte[] sequence(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i + 1);
    }
    return bytes;
  }

  protected static String sha256Hex(String key) {
    return HexFormat.of().formatHex(ApiKeyRegistry.sha256(key));
  }
}
