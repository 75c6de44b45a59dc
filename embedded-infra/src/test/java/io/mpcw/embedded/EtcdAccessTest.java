package io.mpcw.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdPki;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.types.etcd.EtcdKeys;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege roles of {@code EtcdAccessPolicy}, enforced by a real etcd running as
 * production does (client and peer TLS, certificate authentication, auth enabled): each refusal is
 * etcd's own (permission denied) or the TLS handshake's.
 */
class EtcdAccessTest {
  private static final EtcdKeys KEYS = EtcdKeys.defaults();
  private static EtcdCluster etcd;
  private static Client root;
  private static Client orchestrator;
  private static Client node1;
  private static Client node2;

  private final UUID tx = UUID.randomUUID();
  private final UUID session = UUID.randomUUID();

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdCluster.startTemporary(1);
    etcd.provision(KEYS, List.of("node-1", "node-2"));
    root = etcd.client("root");
    orchestrator = etcd.client("orchestrator");
    node1 = etcd.client("node-1");
    node2 = etcd.client("node-2");
  }

  @AfterAll
  static void stopEtcd() {
    for (Client c : new Client[] {root, orchestrator, node1, node2}) {
      if (c != null) {
        c.close();
      }
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void orchestratorCannotPutAVoteKey() {
    assertPermissionDenied(put(orchestrator, KEYS.vote(tx, "node-1"), "forged"));
    assertAbsent(KEYS.vote(tx, "node-1"));
  }

  @Test
  void orchestratorCannotDeleteOrOverwriteANodesSigningLock() throws Exception {
    String lock = KEYS.signingLock(tx, "node-1");
    await(put(node1, lock, "txid-a"));

    assertPermissionDenied(delete(orchestrator, lock));
    assertPermissionDenied(put(orchestrator, lock, "txid-b"));
    assertPermissionDenied(
        orchestrator
            .getKVClient()
            .delete(bytes(KEYS.all()), DeleteOption.builder().isPrefix(true).build()));

    assertThat(valueOf(lock)).isEqualTo("txid-a");
  }

  @Test
  void orchestratorCannotWriteAShareKey() {
    assertPermissionDenied(put(orchestrator, KEYS.signingShare(tx, session, "node-1"), "forged"));
    assertAbsent(KEYS.signingShare(tx, session, "node-1"));
  }

  @Test
  void nodeCannotWriteAnotherNodesVoteLockOrShareKeys() {
    assertPermissionDenied(put(node1, KEYS.vote(tx, "node-2"), "forged"));
    assertPermissionDenied(put(node1, KEYS.signingLock(tx, "node-2"), "forged"));
    assertPermissionDenied(put(node1, KEYS.signingShare(tx, session, "node-2"), "forged"));
    assertAbsent(KEYS.vote(tx, "node-2"));
    assertAbsent(KEYS.signingLock(tx, "node-2"));
    assertAbsent(KEYS.signingShare(tx, session, "node-2"));
  }

  @Test
  void nodeCannotDeleteAnotherNodesLock() throws Exception {
    String lock = KEYS.signingLock(tx, "node-2");
    await(put(node2, lock, "txid-a"));

    assertPermissionDenied(delete(node1, lock));
    assertThat(valueOf(lock)).isEqualTo("txid-a");
  }

  @Test
  void nodeCannotWriteTheDecisionOrAbortKeys() {
    assertPermissionDenied(put(node1, KEYS.decision(tx), "approved"));
    assertPermissionDenied(put(node1, KEYS.signingAborted(tx, session), ""));
    assertAbsent(KEYS.decision(tx));
    assertAbsent(KEYS.signingAborted(tx, session));
  }

  @Test
  void nodeWritesItsOwnRecordsAndReadsEveryoneElses() throws Exception {
    await(put(node1, KEYS.vote(tx, "node-1"), "vote"));
    await(put(node1, KEYS.signingLock(tx, "node-1"), "txid"));
    await(put(node1, KEYS.signingShare(tx, session, "node-1"), "share"));
    await(put(node2, KEYS.vote(tx, "node-2"), "vote-2"));

    assertThat(valueOf(node1, KEYS.vote(tx, "node-2"))).isEqualTo("vote-2");
    assertThat(valueOf(node1, KEYS.signingShare(tx, session, "node-1"))).isEqualTo("share");
  }

  @Test
  void orchestratorWritesDecisionsAndAbortsAndReadsVotes() throws Exception {
    await(put(node1, KEYS.vote(tx, "node-1"), "vote"));
    await(put(orchestrator, KEYS.decision(tx), "approved"));
    await(put(orchestrator, KEYS.signingAborted(tx, session), ""));

    assertThat(valueOf(orchestrator, KEYS.vote(tx, "node-1"))).isEqualTo("vote");
    assertThat(valueOf(KEYS.decision(tx))).isEqualTo("approved");
  }

  @Test
  void nobodyButTheOperatorWritesOutsideTheClusterPrefix() throws Exception {
    assertPermissionDenied(put(node1, "/elsewhere", "x"));
    assertPermissionDenied(put(orchestrator, "/elsewhere", "x"));
    await(put(root, "/elsewhere", "x"));
  }

  @Test
  void certificateOfTheClusterCaWithoutAnEtcdUserIsDenied() {
    try (Client stranger = etcd.client("registry")) {
      assertPermissionDenied(stranger.getKVClient().get(bytes(KEYS.vote(tx, "node-1"))));
    }
  }

  @Test
  void clientWithACertificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
    // same CN as a real node, signed by a CA etcd does not trust
    EtcdTlsFiles foreign = EtcdPki.temporary().tls("node-1");
    try (Client impostor =
        failFast(
            ssl ->
                ssl.trustManager(ourCa().toFile())
                    .keyManager(foreign.certificate().toFile(), foreign.privateKey().toFile()))) {
      assertTlsRefused(put(impostor, KEYS.vote(tx, "node-1"), "forged"));
    }
    assertAbsent(KEYS.vote(tx, "node-1"));
  }

  @Test
  void clientWithoutACertificateIsRefusedInTheHandshake() throws Exception {
    try (Client anonymous = failFast(ssl -> ssl.trustManager(ourCa().toFile()))) {
      assertTlsRefused(anonymous.getKVClient().get(bytes(KEYS.all())));
    }
  }

  /** A client that reports the first connection failure instead of retrying it. */
  private static Client failFast(Consumer<SslContextBuilder> tls) throws SSLException {
    return Client.builder()
        .endpoints(etcd.endpoints().split(","))
        .sslContext(tls)
        .waitForReady(false)
        .retryMaxAttempts(0)
        .build();
  }

  private static Path ourCa() {
    return etcd.pki().tls("node-1").caCertificate();
  }

  private static CompletableFuture<?> put(Client client, String key, String value) {
    return client.getKVClient().put(bytes(key), bytes(value));
  }

  private static CompletableFuture<?> delete(Client client, String key) {
    return client.getKVClient().delete(bytes(key));
  }

  private static String valueOf(String key) throws Exception {
    return valueOf(root, key);
  }

  private static String valueOf(Client client, String key) throws Exception {
    var kvs = client.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs();
    assertThat(kvs).as("key %s", key).hasSize(1);
    return kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  private static void assertAbsent(String key) {
    assertThat(await(root.getKVClient().get(bytes(key))).getKvs()).as("key %s", key).isEmpty();
  }

  private static void assertPermissionDenied(CompletableFuture<?> call) {
    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("etcdserver: permission denied")
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.PERMISSION_DENIED));
  }

  private static void assertTlsRefused(CompletableFuture<?> call) {
    assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(SSLException.class);
  }

  private static <T> T await(CompletableFuture<T> call) {
    try {
      return call.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
