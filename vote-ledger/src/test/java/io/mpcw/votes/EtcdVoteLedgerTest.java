package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    return new EtcdVoteLedger(
        client.getKVClient(), keys, Duration.ofSeconds(5), Duration.ofSeconds(60));
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
  void twoClientsCastingFiveHundredVotesEachOnOneCounterCountExactlyOneThousand() throws Exception {
    UUID tx = UUID.randomUUID();
    String digest = digest(tx, Decision.APPROVE);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<CastResult>> results = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        EtcdVoteLedger ledger = i % 2 == 0 ? ledgerA : ledgerB;
        VoteRecord v = vote(tx, "n-" + i, Decision.APPROVE, digest);
        results.add(pool.submit(() -> ledger.cast(v)));
      }
      List<Long> countsAfter = new ArrayList<>();
      for (Future<CastResult> r : results) {
        CastResult result = r.get();
        assertThat(result).isInstanceOf(CastResult.Counted.class);
        countsAfter.add(((CastResult.Counted) result).countAfter());
      }
      VoteSnapshot snapshot = ledgerA.snapshot(tx);
      assertThat(snapshot.counters()).containsEntry(digest, 1000L);
      assertThat(snapshot.votes()).hasSize(1000);
      // every vote saw a distinct count: no increment was lost or applied twice
      assertThat(countsAfter).doesNotHaveDuplicates().hasSize(1000);
      assertThat(countsAfter.stream().mapToLong(Long::longValue).max().getAsLong()).isEqualTo(1000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRepeatedVoteReturnsTheFirstAndMovesNoCounter() {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    VoteRecord first = vote(tx, "node-1", Decision.APPROVE, approve);

    assertThat(ledgerA.cast(first)).isEqualTo(new CastResult.Counted(first, 1));
    CastResult again =
        ledgerB.cast(vote(tx, "node-1", Decision.REJECT, digest(tx, Decision.REJECT)));

    assertThat(again).isEqualTo(new CastResult.Duplicate(first));
    VoteSnapshot snapshot = ledgerA.snapshot(tx);
    assertThat(snapshot.counters()).containsOnlyKeys(approve).containsEntry(approve, 1L);
  }

  @Test
  void aVoteAfterTheDecisionIsRefusedInTheSameTransaction() {
    UUID tx = UUID.randomUUID();
    String approve = digest(tx, Decision.APPROVE);
    ledgerA.cast(vote(tx, "node-1", Decision.APPROVE, approve));

    assertThat(ledgerA.decide(tx, "approved")).isEqualTo("approved");
    CastResult late = ledgerB.cast(vote(tx, "node-2", Decision.APPROVE, approve));

    assertThat(late).isInstanceOf(CastResult.Late.class);
    VoteSnapshot snapshot = ledgerA.snapshot(tx);
    assertThat(snapshot.votes()).extracting(VoteRecord::nodeId).containsExactly("node-1");
    assertThat(snapshot.counters()).containsEntry(approve, 1L);
    assertThat(snapshot.decision()).contains("approved");
  }

  @Test
  void theFirstDecisionWrittenStands() {
    UUID tx = UUID.randomUUID();
    assertThat(ledgerA.decide(tx, "rejected")).isEqualTo("rejected");
    assertThat(ledgerB.decide(tx, "approved")).isEqualTo("rejected");
  }

  @Test
  void aSnapshotReportsUnreadableRecordsInsteadOfFailing() throws Exception {
    UUID tx = UUID.randomUUID();
    ledgerA.cast(vote(tx, "node-1", Decision.APPROVE, digest(tx, Decision.APPROVE)));
    clientA
        .getKVClient()
        .put(
            io.etcd.jetcd.ByteSequence.from(keys.vote(tx, "node-9"), StandardCharsets.UTF_8),
            io.etcd.jetcd.ByteSequence.from("{not json", StandardCharsets.UTF_8))
        .get();

    VoteSnapshot snapshot = ledgerA.snapshot(tx);
    assertThat(snapshot.votes()).hasSize(1);
    assertThat(snapshot.malformed()).containsExactly(keys.vote(tx, "node-9"));
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
}
