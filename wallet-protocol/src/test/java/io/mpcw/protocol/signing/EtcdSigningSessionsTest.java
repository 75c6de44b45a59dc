package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.TaprootSighash;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session ends complete or aborted, never both: the nodes' share records and the coordinator's
 * abort against a real etcd, through the real signing participant.
 */
class EtcdSigningSessionsTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> SIGNERS = List.of("node-1", "node-2", "node-4");
  private static Client client;
  private static EtcdKeys keys;
  private static SigningCluster cluster;

  private EtcdSigningSessions sessions;
  private Map<String, SigningParticipant> nodes;
  private final String recipient = SigningCluster.randomRecipient();

  @BeforeAll
  static void connect() {
    keys = new EtcdKeys(ETCD.keyPrefix());
    client = ETCD.client("root");
    cluster = new SigningCluster();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void signers() {
    sessions = new EtcdSigningSessions(client.getKVClient(), keys, Duration.ofSeconds(5));
    nodes = participants(sessions);
  }

  /** Approval is checked elsewhere (EtcdSigningTest); the lock and the records are etcd's. */
  private Map<String, SigningParticipant> participants(EtcdSigningSessions recorder) {
    return cluster.participants(
        (txId, walletId, to, amount, voters) -> {},
        new EtcdSigningLock(client.getKVClient(), keys, Duration.ofSeconds(5)),
        node -> recorder.recorder(cluster.pki.identity(node)),
        new SpendLimits(10_000),
        Clock.systemUTC());
  }

  private Payment payment() {
    return cluster.payment(2, recipient, 42_000, 1_000);
  }

  private static SignShareResponse decode(byte[] record) {
    return ShareRecord.decode(record).shares();
  }

  private static boolean exists(String key) throws Exception {
    return client
            .getKVClient()
            .get(ByteSequence.from(key, StandardCharsets.UTF_8))
            .get(5, TimeUnit.SECONDS)
            .getCount()
        == 1;
  }

  @Test
  void aNodesSharesAreInEtcdWhenItsReplyLeavesAndAreTheSameShares() {
    Payment p = payment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);

    SignShareResponse reply = nodes.get("node-2").share(request);

    SessionRecord record = sessions.read(p.txId(), request.sessionId(), SIGNERS);
    assertThat(record.shares()).containsOnlyKeys("node-2");
    assertThat(record.aborted()).isFalse();
    assertThat(decode(record.shares().get("node-2"))).isEqualTo(reply);
  }

  @Test
  void noShareLeavesANodeThatCannotRecordIt() {
    Payment p = payment();
    try (Client dead = Client.builder().endpoints("http://127.0.0.1:1").build()) {
      Map<String, SigningParticipant> cut =
          participants(new EtcdSigningSessions(dead.getKVClient(), keys, Duration.ofMillis(300)));
      SignShareRequest request = cluster.roundOne(cut, SIGNERS, p);
      assertRefused(
          () -> cut.get("node-1").share(request), ProtocolErrors.ETCD_UNAVAILABLE, "etcd");
      assertThat(cut.get("node-1").liveSessions()).isZero();
      assertThat(sessions.read(p.txId(), request.sessionId(), SIGNERS).shares()).isEmpty();
    }
  }

  @Test
  void anAbortedSessionIsRefusedAndItsNoncesAreErased() {
    Payment p = payment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    SessionRecord ended =
        sessions.abortUnlessComplete(p.txId(), request.sessionId(), SIGNERS, "test: abandoned");
    assertThat(ended.abortedBecause()).contains("test: abandoned");

    assertRefused(
        () -> nodes.get("node-4").share(request),
        ProtocolErrors.SESSION_ABORTED,
        request.sessionId().toString());

    assertThat(nodes.get("node-4").liveSessions()).isZero();
    // the nonces are gone, not merely unused: asking again finds no session
    assertRefused(() -> nodes.get("node-4").share(request), ProtocolErrors.UNKNOWN_SESSION, "");
    assertThat(sessions.read(p.txId(), request.sessionId(), SIGNERS).shares()).isEmpty();
  }

  @Test
  void aShareRecordIsSignedByItsNodeAndOneWrittenByAnotherNodeDoesNotVerify() {
    Payment p = payment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    nodes.get("node-1").share(request);
    ShareRecord recorded =
        ShareRecord.decode(
            sessions.read(p.txId(), request.sessionId(), SIGNERS).shares().get("node-1"));
    java.security.cert.X509Certificate node1 = cluster.pki.identity("node-1").certificate();

    assertThat(recorded.writtenBy("node-1", node1)).isTrue();
    // node-2 can write etcd, and signs a record in node-1's name with its own key
    SignShareResponse asNode2 =
        new SignShareResponse(request.sessionId(), "node-2", recorded.shares().shares());
    String node2Signature =
        ShareRecord.sign(cluster.pki.identity("node-2"), p.txId(), 0, asNode2).signature();
    ShareRecord posing = new ShareRecord(p.txId(), 0, recorded.shares(), node2Signature);
    assertThat(posing.writtenBy("node-1", node1)).isFalse();
    assertThat(recorded.writtenBy("node-2", cluster.pki.identity("node-2").certificate()))
        .isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ShareRecord.sign(cluster.pki.identity("node-2"), p.txId(), 0, recorded.shares()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSecondShareRecordForOneSessionAndNodeIsRefusedAndTheFirstStands() {
    Payment p = payment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    SignShareResponse first = nodes.get("node-1").share(request);
    SignShareResponse other =
        new SignShareResponse(
            request.sessionId(), "node-1", List.of("00".repeat(32), "01".repeat(32)));

    assertRefused(
        () -> sessions.recorder(cluster.pki.identity("node-1")).record(p.txId(), 0, other),
        ProtocolErrors.SHARE_ALREADY_RECORDED,
        "node-1");

    assertThat(decode(sessions.read(p.txId(), request.sessionId(), SIGNERS).shares().get("node-1")))
        .isEqualTo(first);
  }

  @Test
  void theAbortFailsWhenEverySignersSharesAreRecordedAndTheSessionSigns() throws Exception {
    Payment p = payment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    List<SignShareResponse> replies = new ArrayList<>();
    SIGNERS.forEach(n -> replies.add(nodes.get(n).share(request)));

    SessionRecord ended =
        sessions.abortUnlessComplete(p.txId(), request.sessionId(), SIGNERS, "test: too late");

    assertThat(ended.aborted()).isFalse();
    assertThat(ended.completeFor(SIGNERS)).isTrue();
    assertThat(exists(keys.signingAborted(p.txId(), request.sessionId()))).isFalse();
    // what etcd holds is enough to sign: the shares a successor would read aggregate
    List<SignShareResponse> fromEtcd =
        SIGNERS.stream().map(n -> decode(ended.shares().get(n))).toList();
    assertThat(fromEtcd).isEqualTo(replies);
    List<byte[]> signatures = cluster.aggregate(request, p, fromEtcd);
    TaprootSighash sighash = new TaprootSighash(p.tx(), p.prevouts());
    for (int i = 0; i < 2; i++) {
      assertThat(
              Bip340.verify(
                  sighash.sigHash(i, SighashType.DEFAULT), cluster.outputKey, signatures.get(i)))
          .isTrue();
    }
  }

  @Test
  void anAbortAfterSomeSharesKeepsThemAndRefusesTheRest() {
    Payment p = payment();
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    nodes.get("node-1").share(request);
    nodes.get("node-2").share(request);

    SessionRecord ended =
        sessions.abortUnlessComplete(p.txId(), request.sessionId(), SIGNERS, "node-4 lost nonces");

    assertThat(ended.aborted()).isTrue();
    assertThat(ended.shares()).containsOnlyKeys("node-1", "node-2");
    assertThat(ended.missing(SIGNERS)).containsExactly("node-4");
    assertRefused(
        () -> nodes.get("node-4").share(request), ProtocolErrors.SESSION_ABORTED, "aborted");
    // aborting again changes nothing and keeps the first reason
    assertThat(
            sessions
                .abortUnlessComplete(p.txId(), request.sessionId(), SIGNERS, "again")
                .abortedBecause())
        .contains("node-4 lost nonces");
  }

  @Test
  void aLateShareRacingAnAbortEndsTheSessionOneWayOnly() throws Exception {
    int sessionsToRace = 40;
    ExecutorService racers = Executors.newFixedThreadPool(4);
    int aborted = 0;
    int complete = 0;
    try {
      for (int s = 0; s < sessionsToRace; s++) {
        Payment p = cluster.payment(1, recipient, 42_000, 1_000);
        SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
        nodes.get("node-1").share(request);
        nodes.get("node-2").share(request);
        CountDownLatch go = new CountDownLatch(1);
        Future<Boolean> late =
            racers.submit(
                () -> {
                  go.await();
                  try {
                    nodes.get("node-4").share(request);
                    return true;
                  } catch (ProtocolException e) {
                    assertThat(e.code()).isEqualTo(ProtocolErrors.SESSION_ABORTED);
                    return false;
                  }
                });
        Future<SessionRecord> abort =
            racers.submit(
                () -> {
                  go.await();
                  return sessions.abortUnlessComplete(
                      p.txId(), request.sessionId(), SIGNERS, "race");
                });
        go.countDown();
        boolean shareReleased = late.get(10, TimeUnit.SECONDS);
        SessionRecord ended = abort.get(10, TimeUnit.SECONDS);
        SessionRecord after = sessions.read(p.txId(), request.sessionId(), SIGNERS);

        assertThat(ended.aborted()).isNotEqualTo(ended.completeFor(SIGNERS));
        assertThat(after.aborted()).isNotEqualTo(after.completeFor(SIGNERS));
        assertThat(shareReleased).isEqualTo(after.completeFor(SIGNERS));
        if (after.aborted()) {
          aborted++;
        } else {
          complete++;
        }
      }
    } finally {
      racers.shutdownNow();
    }
    assertThat(aborted + complete).isEqualTo(sessionsToRace);
  }
}
