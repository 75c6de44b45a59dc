package io.mpcw.protocol.signing;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.TestPki;
import io.mpcw.protocol.signing.SigningCluster.Payment;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.RecordSignatures;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.Decision;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VotePayload;
import io.mpcw.votes.VoteRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The approval check and the signing lock against a real etcd, alone and inside signing. */
class EtcdSigningTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final List<String> SIGNERS = List.of("node-2", "node-3", "node-4");
  private static Client client;
  private static EtcdKeys keys;
  private static EtcdVoteLedger ledger;
  private static SigningCluster cluster;
  private static TestPki strangers;

  @BeforeAll
  static void connect() {
    keys = new EtcdKeys(ETCD.keyPrefix());
    client = ETCD.client("root");
    ledger =
        new EtcdVoteLedger(
            client.getKVClient(), keys, Duration.ofSeconds(5), Duration.ofSeconds(30));
    cluster = new SigningCluster();
    strangers = TestPki.create(5);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static EtcdApprovalCheck approvals() {
    return new EtcdApprovalCheck(ledger, 4, cluster.pki::certificate, cluster.pki.ca());
  }

  private static EtcdSigningLock lock() {
    return new EtcdSigningLock(client.getKVClient(), keys, Duration.ofSeconds(5));
  }

  private static java.util.function.Function<String, ShareRecorder> recorder() {
    EtcdSigningSessions sessions =
        new EtcdSigningSessions(client.getKVClient(), keys, Duration.ofSeconds(5));
    return node -> sessions.recorder(cluster.pki.identity(node));
  }

  private static void vote(
      IdentityCredentials signer, String node, UUID txId, Decision decision, VotePayload payload) {
    VoteRecord unsigned =
        VoteRecord.unsigned(txId, node, decision, "", payload.digest(decision), Instant.now());
    VoteRecord signed =
        unsigned.withSignature(RecordSignatures.sign(signer, unsigned.signingPayload()));
    assertThat(ledger.cast(signed)).isInstanceOf(CastResult.Counted.class);
  }

  private static void approve(String node, VotePayload payload) {
    vote(cluster.pki.identity(node), node, payload.txId(), Decision.APPROVE, payload);
  }

  private static VotePayload payload(String recipient, long amount) {
    return new VotePayload(UUID.randomUUID(), cluster.walletId, recipient, amount);
  }

  private static void requireApproved(VotePayload p) {
    approvals()
        .requireApproved(
            p.txId(), p.walletId(), p.recipient(), p.amountSats(), SigningCluster.NODES);
  }

  @Test
  void threeApprovalsOfFourRequiredAreRefused() {
    VotePayload p = payload("bcrt1pexample", 42_000);
    approve("node-1", p);
    approve("node-2", p);
    approve("node-3", p);
    assertRefused(
        () -> requireApproved(p),
        ProtocolErrors.NOT_APPROVED,
        "3 valid approvals for this payment, 4 required");
  }

  @Test
  void fourApprovalsPass() {
    VotePayload p = payload("bcrt1pexample", 42_000);
    List.of("node-1", "node-2", "node-3", "node-5").forEach(n -> approve(n, p));
    assertThatCode(() -> requireApproved(p)).doesNotThrowAnyException();
  }

  @Test
  void anApprovalWithABadSignatureIsNotCounted() {
    VotePayload p = payload("bcrt1pexample", 42_000);
    List.of("node-1", "node-2", "node-3").forEach(n -> approve(n, p));
    // node-4's vote signed with node-5's key
    vote(cluster.pki.identity("node-5"), "node-4", p.txId(), Decision.APPROVE, p);
    assertRefused(() -> requireApproved(p), ProtocolErrors.NOT_APPROVED, "3 valid approvals");
  }

  @Test
  void anApprovalOfAnotherAmountIsNotCounted() {
    VotePayload p = payload("bcrt1pexample", 42_000);
    List.of("node-1", "node-2", "node-3").forEach(n -> approve(n, p));
    VotePayload other = new VotePayload(p.txId(), p.walletId(), p.recipient(), 50_000);
    approve("node-4", other);
    assertRefused(() -> requireApproved(p), ProtocolErrors.NOT_APPROVED, "3 valid approvals");
  }

  @Test
  void aVoteSignedUnderACertificateOfAnotherCaIsNotCounted() {
    VotePayload p = payload("bcrt1pexample", 42_000);
    List.of("node-1", "node-2", "node-3").forEach(n -> approve(n, p));
    vote(strangers.identity("node-4"), "node-4", p.txId(), Decision.APPROVE, p);
    EtcdApprovalCheck fooled =
        new EtcdApprovalCheck(
            ledger,
            4,
            node ->
                node.equals("node-4") ? strangers.certificate(node) : cluster.pki.certificate(node),
            cluster.pki.ca());
    assertRefused(
        () ->
            fooled.requireApproved(
                p.txId(), p.walletId(), p.recipient(), p.amountSats(), SigningCluster.NODES),
        ProtocolErrors.NOT_APPROVED,
        "3 valid approvals");
  }

  @Test
  void aCertificateOfAnotherNodeDoesNotVouchForAVote() {
    VotePayload p = payload("bcrt1pexample", 42_000);
    List.of("node-1", "node-2", "node-3").forEach(n -> approve(n, p));
    // node-5 writes a vote as "node-4"; the lookup for node-4 wrongly hands out node-5's
    // certificate
    vote(cluster.pki.identity("node-5"), "node-4", p.txId(), Decision.APPROVE, p);
    EtcdApprovalCheck confused =
        new EtcdApprovalCheck(
            ledger,
            4,
            node -> cluster.pki.certificate(node.equals("node-4") ? "node-5" : node),
            cluster.pki.ca());
    assertRefused(
        () ->
            confused.requireApproved(
                p.txId(), p.walletId(), p.recipient(), p.amountSats(), SigningCluster.NODES),
        ProtocolErrors.NOT_APPROVED,
        "3 valid approvals");
  }

  @Test
  void anUnreachableEtcdIsReportedAsUnavailable() {
    try (Client dead = Client.builder().endpoints("http://127.0.0.1:1").build()) {
      EtcdVoteLedger deadLedger =
          new EtcdVoteLedger(
              dead.getKVClient(), keys, Duration.ofMillis(300), Duration.ofMillis(300));
      EtcdApprovalCheck check =
          new EtcdApprovalCheck(deadLedger, 4, cluster.pki::certificate, cluster.pki.ca());
      assertRefused(
          () ->
              check.requireApproved(
                  UUID.randomUUID(), cluster.walletId, "x", 1, SigningCluster.NODES),
          ProtocolErrors.ETCD_UNAVAILABLE,
          "");
      EtcdSigningLock deadLock =
          new EtcdSigningLock(dead.getKVClient(), keys, Duration.ofMillis(300));
      assertRefused(
          () -> deadLock.claim(UUID.randomUUID(), "ab", "node-1", SigningCluster.NODES),
          ProtocolErrors.ETCD_UNAVAILABLE,
          "");
    }
  }

  @Test
  void theLockAcceptsTheSameTransactionAgainAndRefusesAnother() {
    UUID txId = UUID.randomUUID();
    List<String> wallet = SigningCluster.NODES;
    lock().claim(txId, "aa".repeat(32), "node-1", wallet);
    assertThatCode(() -> lock().claim(txId, "aa".repeat(32), "node-1", wallet))
        .doesNotThrowAnyException();
    assertRefused(
        () -> lock().claim(txId, "bb".repeat(32), "node-1", wallet),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "already signed as transaction " + "aa".repeat(32));
  }

  @Test
  void anotherParticipantsLockOnAnotherTransactionIsRefusedAndTheSameOneJoined() throws Exception {
    UUID txId = UUID.randomUUID();
    List<String> wallet = SigningCluster.NODES;
    lock().claim(txId, "aa".repeat(32), "node-1", wallet);

    assertRefused(
        () -> lock().claim(txId, "bb".repeat(32), "node-2", wallet),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "aa".repeat(32) + " by node-1");
    assertThatCode(() -> lock().claim(txId, "aa".repeat(32), "node-3", wallet))
        .doesNotThrowAnyException();
    assertThat(locks(txId, wallet)).containsOnlyKeys("node-1", "node-3");
  }

  @Test
  void aLockOfANodeOutsideTheWalletDoesNotBindIt() {
    UUID txId = UUID.randomUUID();
    lock().claim(txId, "aa".repeat(32), "node-9", List.of("node-9", "node-8"));

    assertThatCode(() -> lock().claim(txId, "bb".repeat(32), "node-1", SigningCluster.NODES))
        .doesNotThrowAnyException();
  }

  @Test
  void twoTransactionsOfferedConcurrentlyToTheParticipantsLockOneOfThemAtMost() throws Exception {
    List<String> wallet = SigningCluster.NODES;
    String x = "aa".repeat(32);
    String y = "bb".repeat(32);
    ExecutorService pool = Executors.newFixedThreadPool(wallet.size());
    try {
      for (int round = 0; round < 30; round++) {
        UUID txId = UUID.randomUUID();
        CyclicBarrier together = new CyclicBarrier(wallet.size());
        Map<String, String> offered = new TreeMap<>();
        Map<String, Future<Boolean>> locked = new TreeMap<>();
        for (int i = 0; i < wallet.size(); i++) {
          String node = wallet.get(i);
          // alternate which txid the odd nodes get, so neither always starts first
          String txid = (i + round) % 2 == 0 ? x : y;
          offered.put(node, txid);
          EtcdSigningLock lock = lock();
          locked.put(
              node,
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    try {
                      lock.claim(txId, txid, node, wallet);
                      return true;
                    } catch (ProtocolException e) {
                      assertThat(e.code()).isEqualTo(ProtocolErrors.CONFLICTING_TRANSACTION);
                      return false;
                    }
                  }));
        }
        Set<String> winners = new TreeSet<>();
        for (var claim : locked.entrySet()) {
          if (claim.getValue().get(20, TimeUnit.SECONDS)) {
            winners.add(offered.get(claim.getKey()));
          }
        }
        Map<String, String> stored = locks(txId, wallet);
        assertThat(new TreeSet<>(stored.values())).as("txids locked").hasSize(1);
        assertThat(winners).isEqualTo(new TreeSet<>(stored.values()));
        // exactly the nodes offered the locked txid hold a lock; every other was refused
        String chosen = winners.iterator().next();
        for (String node : wallet) {
          assertThat(stored.containsKey(node)).isEqualTo(offered.get(node).equals(chosen));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, String> locks(UUID txId, List<String> nodes) throws Exception {
    Map<String, String> locks = new TreeMap<>();
    for (String node : nodes) {
      var found =
          client
              .getKVClient()
              .get(ByteSequence.from(keys.signingLock(txId, node), StandardCharsets.UTF_8))
              .get(5, TimeUnit.SECONDS)
              .getKvs();
      found.forEach(kv -> locks.put(node, kv.getValue().toString(StandardCharsets.UTF_8)));
    }
    return locks;
  }

  @Test
  void anApprovedPaymentIsSignedOnceAsOneTransactionOnly() {
    var nodes =
        cluster.participants(
            approvals(), lock(), recorder(), new SpendLimits(10_000), Clock.systemUTC());
    String recipient = SigningCluster.randomRecipient();
    Payment p = cluster.payment(2, recipient, 42_000, 1_000);
    VotePayload approved = new VotePayload(p.txId(), cluster.walletId, recipient, 42_000);
    List.of("node-1", "node-2", "node-3", "node-4").forEach(n -> approve(n, approved));

    SignShareRequest first = cluster.roundOne(nodes, SIGNERS, p);
    List<SignShareResponse> responses = new ArrayList<>();
    for (String node : SIGNERS) {
      responses.add(nodes.get(node).share(first));
    }
    assertThat(cluster.aggregate(first, p, responses)).hasSize(2);

    // the same transaction again (a retry with fresh nonces) is signed
    SignShareRequest retry = cluster.roundOne(nodes, SIGNERS, p);
    assertThatCode(() -> nodes.get("node-2").share(retry)).doesNotThrowAnyException();

    // another transaction for the same approved payment is not
    Payment other = p.withTx(cluster.payment(2, recipient, 42_000, 2_000).tx(), p.prevouts());
    SignShareRequest conflicting = cluster.roundOne(nodes, SIGNERS, other);
    assertRefused(
        () -> nodes.get("node-3").share(conflicting),
        ProtocolErrors.CONFLICTING_TRANSACTION,
        p.tx().txid().toDisplayHex());
  }

  @Test
  void aPaymentWithoutTheQuorumIsNotSigned() {
    var nodes =
        cluster.participants(
            approvals(), lock(), recorder(), new SpendLimits(10_000), Clock.systemUTC());
    String recipient = SigningCluster.randomRecipient();
    Payment p = cluster.payment(1, recipient, 42_000, 1_000);
    VotePayload approved = new VotePayload(p.txId(), cluster.walletId, recipient, 42_000);
    List.of("node-1", "node-2").forEach(n -> approve(n, approved));
    SignShareRequest request = cluster.roundOne(nodes, SIGNERS, p);
    assertRefused(
        () -> nodes.get("node-2").share(request),
        ProtocolErrors.NOT_APPROVED,
        "2 valid approvals for this payment, 4 required");
  }
}
