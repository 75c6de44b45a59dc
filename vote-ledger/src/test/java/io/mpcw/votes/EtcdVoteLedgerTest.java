package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EtcdVoteLedgerTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static Client clientA;
  private static Client clientB;
  private static EtcdVoteLedger ledgerA;
  private static EtcdVoteLedger ledgerB;
  private static EtcdKeys keys;

  @BeforeAll
  static void connect() {
    keys = new EtcdKeys(ETCD.keyPrefix());
    clientA = ETCD.client("root");
    clientB = ETCD.client("root");
    ledgerA = ledger(clientA);
    ledgerB = ledger(clientB);
  }

  @AfterAll
  static void close() {
    clientA.close();
    clientB.close();
  }

  static EtcdVoteLedger ledger(Client client) {
    return ledger(client.getKVClient());
  }

  static EtcdVoteLedger ledger(KV kv) {
    return new EtcdVoteLedger(kv, keys, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  static VoteRecord vote(UUID tx, String node, Decision decision, String digest) {
    return VoteRecord.unsigned(
            tx, node, decision, "", digest, Instant.parse("2026-11-22T10:00:00Z"))
        .withSignature(new byte[] {1, 2, 3});
  }

  static String digest(UUID tx, Decision decision) {
    return new VotePayload(tx, UUID.randomUUID(), "bcrt1qexample", 10_000).digest(decision);
  }

  @Test
  void concurrentVotesOfEveryNodeOnOneTransactionEachTakeExactlyOneEtcdTransaction()
      throws Exception {
    List<String> nodes = nodes(7);
    AtomicInteger commits = new AtomicInteger();
    EtcdVoteLedger countingA = ledger(counting(clientA.getKVClient(), commits));
    EtcdVoteLedger countingB = ledger(counting(clientB.getKVClient(), commits));
    int transactions = 20;
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * 2);
    try {
      List<UUID> txs = new ArrayList<>();
      List<Future<CastResult>> results = new ArrayList<>();
      for (int t = 0; t < transactions; t++) {
        UUID tx = UUID.randomUUID();
        txs.add(tx);
        String digest = digest(tx, Decision.APPROVE);
        CyclicBarrier together = new CyclicBarrier(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
          EtcdVoteLedger ledger = i % 2 == 0 ? countingA : countingB;
          VoteRecord v = vote(tx, nodes.get(i), Decision.APPROVE, digest);
          results.add(
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return ledger.cast(v);
                  }));
        }
      }
      for (Future<CastResult> r : results) {
        assertThat(r.get()).isInstanceOf(CastResult.Counted.class);
      }
      // no vote waited for another: one etcd transaction per vote, none retried
      assertThat(commits).hasValue(transactions * nodes.size());
      for (UUID tx : txs) {
        assertThat(ledgerA.snapshot(tx, nodes).votes()).hasSize(nodes.size());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSnapshotsCountsAreItsRecordsAndEveryCountedVote() throws Exception {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    String reject = digest(tx, Decision.REJECT);
    List<String> nodes = nodes(9);
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    try {
      List<Future<CastResult>> results = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        EtcdVoteLedger ledger = i % 2 == 0 ? ledgerA : ledgerB;
        VoteRecord v =
            i % 3 == 0
                ? vote(tx, nodes.get(i), Decision.REJECT, reject)
                : vote(tx, nodes.get(i), Decision.APPROVE, approve);
        results.add(pool.submit(() -> ledger.cast(v)));
        // every third node also tries to vote twice, concurrently
        if (i % 3 == 1) {
          VoteRecord again = vote(tx, nodes.get(i), Decision.REJECT, reject);
          results.add(pool.submit(() -> ledger.cast(again)));
        }
      }
      Map<String, Long> countedByDigest = new TreeMap<>();
      for (Future<CastResult> r : results) {
        if (r.get() instanceof CastResult.Counted counted) {
          countedByDigest.merge(counted.vote().digest(), 1L, Long::sum);
        }
      }
      VoteSnapshot snapshot = ledgerA.snapshot(tx, nodes);
      Map<String, Long> recorded = new TreeMap<>();
      snapshot.votes().forEach(v -> recorded.merge(v.digest(), 1L, Long::sum));

      assertThat(snapshot.votes()).extracting(VoteRecord::nodeId).hasSameElementsAs(nodes);
      assertThat(snapshot.counts()).isEqualTo(recorded).isEqualTo(countedByDigest);
      assertThat(snapshot.counts().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(nodes.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRepeatedVoteReturnsTheFirstAndLeavesTheCountsAlone() {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    VoteRecord first = vote(tx, "node-1", Decision.APPROVE, approve);

    assertThat(ledgerA.cast(first)).isEqualTo(new CastResult.Counted(first));
    CastResult again =
        ledgerB.cast(vote(tx, "node-1", Decision.REJECT, digest(tx, Decision.REJECT)));

    assertThat(again).isEqualTo(new CastResult.Duplicate(first));
    VoteSnapshot snapshot = ledgerA.snapshot(tx, List.of("node-1"));
    assertThat(snapshot.counts()).containsOnlyKeys(approve).containsEntry(approve, 1L);
  }

  @Test
  void aVoteAfterTheDecisionIsRefusedInTheSameTransaction() {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    ledgerA.cast(vote(tx, "node-1", Decision.APPROVE, approve));

    assertThat(ledgerA.decide(tx, "approved")).isEqualTo("approved");
    CastResult late = ledgerB.cast(vote(tx, "node-2", Decision.APPROVE, approve));

    assertThat(late).isInstanceOf(CastResult.Late.class);
    VoteSnapshot snapshot = ledgerA.snapshot(tx, List.of("node-1", "node-2"));
    assertThat(snapshot.votes()).extracting(VoteRecord::nodeId).containsExactly("node-1");
    assertThat(snapshot.counts()).containsEntry(approve, 1L);
    assertThat(snapshot.decision()).contains("approved");
  }

  @Test
  void aBatchRecordsEachVoteAsAloneInOneEtcdTransactionAndAnswersInOrder() {
    AtomicInteger commits = new AtomicInteger();
    EtcdVoteLedger counting = ledger(counting(clientA.getKVClient(), commits));
    UUID fresh = UUID.randomUUID();
    UUID votedBefore = UUID.randomUUID();
    UUID decided = UUID.randomUUID();
    UUID otherNodeVoted = UUID.randomUUID();
    VoteRecord first =
        vote(votedBefore, "node-1", Decision.APPROVE, digest(votedBefore, Decision.APPROVE));
    ledgerA.cast(first);
    ledgerA.decide(decided, "rejected");
    ledgerA.cast(
        vote(otherNodeVoted, "node-2", Decision.APPROVE, digest(otherNodeVoted, Decision.APPROVE)));
    VoteRecord freshVote = vote(fresh, "node-1", Decision.REJECT, digest(fresh, Decision.REJECT));
    VoteRecord secondTry =
        vote(votedBefore, "node-1", Decision.REJECT, digest(votedBefore, Decision.REJECT));
    VoteRecord lateVote =
        vote(decided, "node-1", Decision.APPROVE, digest(decided, Decision.APPROVE));
    VoteRecord besideOther =
        vote(otherNodeVoted, "node-1", Decision.APPROVE, digest(otherNodeVoted, Decision.APPROVE));
    commits.set(0);

    List<CastResult> results =
        counting.castAll(List.of(freshVote, secondTry, lateVote, besideOther));

    assertThat(results)
        .containsExactly(
            new CastResult.Counted(freshVote),
            new CastResult.Duplicate(first),
            new CastResult.Late(),
            new CastResult.Counted(besideOther));
    assertThat(commits).hasValue(1);
    assertThat(ledgerA.snapshot(fresh, List.of("node-1")).votes()).containsExactly(freshVote);
    assertThat(ledgerA.snapshot(votedBefore, List.of("node-1")).votes()).containsExactly(first);
    assertThat(ledgerA.snapshot(decided, List.of("node-1")).votes()).isEmpty();
    assertThat(ledgerA.snapshot(otherNodeVoted, nodes(2)).votes()).hasSize(2);
  }

  @Test
  void aBatchWithTwoVotesOfOneNodeOnOnePaymentOrTooManyVotesIsRefusedBeforeEtcd() {
    AtomicInteger commits = new AtomicInteger();
    EtcdVoteLedger counting = ledger(counting(clientA.getKVClient(), commits));
    UUID tx = UUID.randomUUID();
    VoteRecord approve = vote(tx, "node-1", Decision.APPROVE, digest(tx, Decision.APPROVE));
    VoteRecord reject = vote(tx, "node-1", Decision.REJECT, digest(tx, Decision.REJECT));
    List<VoteRecord> tooMany =
        IntStream.rangeClosed(0, EtcdVoteLedger.MAX_BATCH)
            .mapToObj(i -> vote(UUID.randomUUID(), "node-1", Decision.APPROVE, "d"))
            .toList();

    assertThatThrownBy(() -> counting.castAll(List.of(approve, reject)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two votes of node-1");
    assertThatThrownBy(() -> counting.castAll(tooMany))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counting.castAll(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(commits).hasValue(0);
    assertThat(ledgerA.snapshot(tx, List.of("node-1")).votes()).isEmpty();
  }

  @Test
  void concurrentBatchesAndSingleVotesCountEachNodeOnceAndNoneAfterTheDecision() throws Exception {
    List<String> nodes = nodes(5);
    List<UUID> txs = IntStream.range(0, 12).mapToObj(i -> UUID.randomUUID()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size() * 2);
    try {
      List<Future<List<CastResult>>> batches = new ArrayList<>();
      List<Future<?>> others = new ArrayList<>();
      CyclicBarrier together = new CyclicBarrier(nodes.size() * 2);
      for (String node : nodes) {
        // each node casts every payment in one batch and, at once, each alone with the other
        // decision; a decider writes each payment's decision in between
        List<VoteRecord> batch =
            txs.stream()
                .map(tx -> vote(tx, node, Decision.APPROVE, digest(tx, Decision.APPROVE)))
                .toList();
        batches.add(
            pool.submit(
                () -> {
                  together.await(10, TimeUnit.SECONDS);
                  return ledgerA.castAll(batch);
                }));
        others.add(
            pool.submit(
                () -> {
                  together.await(10, TimeUnit.SECONDS);
                  for (UUID tx : txs) {
                    ledgerB.cast(vote(tx, node, Decision.REJECT, digest(tx, Decision.REJECT)));
                    if (node.equals("node-3")) {
                      ledgerB.decide(tx, "decided");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> other : others) {
        other.get();
      }
      for (Future<List<CastResult>> batch : batches) {
        assertThat(batch.get()).hasSize(txs.size());
      }
      for (UUID tx : txs) {
        VoteSnapshot snapshot = ledgerA.snapshot(tx, nodes);
        // at most one record per node, and nothing cast after the decision was written
        assertThat(snapshot.votes())
            .extracting(VoteRecord::nodeId)
            .doesNotHaveDuplicates()
            .isSubsetOf(nodes);
        assertThat(snapshot.decision()).contains("decided");
        assertThat(ledgerA.castAll(List.of(vote(tx, "node-9", Decision.APPROVE, "late"))).get(0))
            .isEqualTo(new CastResult.Late());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theFirstDecisionWrittenStands() {
    UUID tx = UUID.randomUUID();
    assertThat(ledgerA.decide(tx, "rejected")).isEqualTo("rejected");
    assertThat(ledgerB.decide(tx, "approved")).isEqualTo("rejected");
  }

  @Test
  void aDecisionOnRecordsThatChangedSinceTheyWereCountedIsNotWritten() throws Exception {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    List<String> nodes = List.of("node-1", "node-2");
    nodes.forEach(n -> ledgerA.cast(vote(tx, n, Decision.APPROVE, approve)));
    VoteSnapshot counted = ledgerA.snapshot(tx, nodes);
    // node-2 may write its own key: it rewrites its vote after the orchestrator counted it
    clientA
        .getKVClient()
        .put(
            bytes(keys.vote(tx, "node-2")),
            bytes(
                EtcdVoteLedger.write(
                    vote(tx, "node-2", Decision.REJECT, digest(tx, Decision.REJECT)))))
        .get(5, TimeUnit.SECONDS);

    assertThat(ledgerA.decide(tx, "approved", counted)).isEmpty();
    assertThat(ledgerA.snapshot(tx, nodes).decision()).isEmpty();

    VoteSnapshot recounted = ledgerA.snapshot(tx, nodes);
    assertThat(ledgerA.decide(tx, "rejected", recounted)).contains("rejected");
    assertThat(ledgerB.decide(tx, "approved", recounted)).contains("rejected");
  }

  @Test
  void aDecisionIsNotHeldUpByAVoteThatArrivedAfterTheCount() {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    ledgerA.cast(vote(tx, "node-1", Decision.APPROVE, approve));
    VoteSnapshot counted = ledgerA.snapshot(tx, List.of("node-1", "node-2"));
    ledgerB.cast(vote(tx, "node-2", Decision.APPROVE, approve));

    assertThat(ledgerA.decide(tx, "approved", counted)).contains("approved");
  }

  @Test
  void aSnapshotReportsUnreadableOrMisattributedRecordsInsteadOfFailing() throws Exception {
    UUID tx = UUID.randomUUID();
    ledgerA.cast(vote(tx, "node-1", Decision.APPROVE, digest(tx, Decision.APPROVE)));
    KV kv = clientA.getKVClient();
    kv.put(bytes(keys.vote(tx, "node-9")), bytes("{not json")).get(5, TimeUnit.SECONDS);
    // node-8 writes, under its own key, a vote that claims to be node-1's
    kv.put(
            bytes(keys.vote(tx, "node-8")),
            bytes(
                EtcdVoteLedger.write(
                    vote(tx, "node-1", Decision.REJECT, digest(tx, Decision.REJECT)))))
        .get(5, TimeUnit.SECONDS);

    VoteSnapshot snapshot = ledgerA.snapshot(tx, List.of("node-1", "node-8", "node-9"));
    assertThat(snapshot.votes()).extracting(VoteRecord::nodeId).containsExactly("node-1");
    assertThat(snapshot.malformed()).containsExactlyInAnyOrder("node-8", "node-9");
  }

  @Test
  void aSnapshotReadsOnlyTheVotesOfTheNodesAskedAbout() {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    ledgerA.cast(vote(tx, "node-1", Decision.APPROVE, approve));
    ledgerA.cast(vote(tx, "node-6", Decision.APPROVE, approve));

    VoteSnapshot snapshot = ledgerA.snapshot(tx, List.of("node-1", "node-2"));

    assertThat(snapshot.votes()).extracting(VoteRecord::nodeId).containsExactly("node-1");
    assertThat(snapshot.recordRevisions()).containsOnlyKeys("node-1");
  }

  @Test
  void voteRecordsRoundTripThroughJsonAndKeepTheirSigningPayload() {
    UUID tx = UUID.randomUUID();
    VoteRecord v =
        VoteRecord.unsigned(
                tx, "node-3", Decision.REJECT, "over limit", "ab".repeat(32), Instant.now())
            .withSignature(new byte[] {9, 8, 7});
    VoteRecord back = EtcdVoteLedger.parse(EtcdVoteLedger.write(v));
    assertThat(back).isEqualTo(v);
    assertThat(back.signingPayload()).isEqualTo(v.signingPayload());
    assertThat(back.signatureBytes())
        .hasValueSatisfying(b -> assertThat(b).containsExactly(9, 8, 7));
  }

  static List<String> nodes(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "node-" + i).toList();
  }

  /** {@code kv}, counting every transaction committed through it. */
  static KV counting(KV kv, AtomicInteger commits) {
    return (KV)
        Proxy.newProxyInstance(
            KV.class.getClassLoader(),
            new Class<?>[] {KV.class},
            (proxy, method, args) -> {
              try {
                Object result = method.invoke(kv, args);
                if (method.getName().equals("txn")) {
                  Txn real = (Txn) result;
                  return Proxy.newProxyInstance(
                      Txn.class.getClassLoader(),
                      new Class<?>[] {Txn.class},
                      (txnProxy, txnMethod, txnArgs) -> {
                        if (txnMethod.getName().equals("commit")) {
                          commits.incrementAndGet();
                        }
                        Object r = txnMethod.invoke(real, txnArgs);
                        return r == real ? txnProxy : r;
                      });
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
