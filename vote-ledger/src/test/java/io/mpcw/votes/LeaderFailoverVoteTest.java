package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaderFailoverVoteTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.dedicated(3);
  private static final List<String> NODES = EtcdVoteLedgerTest.nodes(5);

  @Test
  void killingTheEtcdLeaderDuringVotingRecordsEveryVoteOnceAndStillDecides() throws Exception {
    EtcdKeys keys = EtcdKeys.defaults();
    List<UUID> txs = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (int t = 0; t < 60; t++) {
      UUID tx = UUID.randomUUID();
      txs.add(tx);
      digests.add(
          new VotePayload(tx, UUID.randomUUID(), "bcrt1qexample", 5000).digest(Decision.APPROVE));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Client client = ETCD.client("root")) {
      EtcdVoteLedger ledger =
          new EtcdVoteLedger(
              client.getKVClient(), keys, Duration.ofSeconds(2), Duration.ofSeconds(60));
      List<Future<CastResult>> results = new ArrayList<>();
      int cast = 0;
      for (int t = 0; t < txs.size(); t++) {
        for (String node : NODES) {
          VoteRecord v = vote(txs.get(t), node, digests.get(t));
          results.add(pool.submit(() -> ledger.cast(v)));
          if (++cast == 100) {
            EtcdMember leader = ETCD.cluster().leader().orElseThrow();
            leader.kill();
          }
        }
      }
      int counted = 0;
      for (Future<CastResult> r : results) {
        // an applied transaction whose answer was lost in the failover is found by the retry
        // and reported counted too: every cast here is the first of its node on its payment
        if (r.get() instanceof CastResult.Counted) {
          counted++;
        }
      }
      assertThat(counted).isEqualTo(txs.size() * NODES.size());
      for (int t = 0; t < txs.size(); t++) {
        VoteSnapshot snapshot = ledger.snapshot(txs.get(t), NODES);
        assertThat(snapshot.votes()).hasSize(NODES.size());
        assertThat(snapshot.counts())
            .containsExactlyEntriesOf(java.util.Map.of(digests.get(t), 5L));
      }

      // the decision is reached on the new leader, and the vote is closed from then on
      UUID tx = txs.get(0);
      VoteSnapshot basis = ledger.snapshot(tx, NODES);
      assertThat(ledger.decide(tx, "approved", basis)).contains("approved");
      VoteRecord late = vote(tx, "node-6", digests.get(0));
      assertThat(ledger.cast(late)).isInstanceOf(CastResult.Late.class);
      assertThat(ledger.snapshot(tx, EtcdVoteLedgerTest.nodes(6)).counts())
          .containsEntry(digests.get(0), 5L);
    } finally {
      pool.shutdownNow();
    }
  }

  private static VoteRecord vote(UUID tx, String node, String digest) {
    return VoteRecord.unsigned(tx, node, Decision.APPROVE, "", digest, Instant.now())
        .withSignature(new byte[] {1});
  }
}
