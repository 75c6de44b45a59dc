package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.mpcw.testsupport.etcd.EtcdMember;
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

  @Test
  void killingTheEtcdLeaderDuringVotingCountsEveryVoteExactlyOnceAndStillDecides()
      throws Exception {
    EtcdKeys keys = EtcdKeys.defaults();
    UUID tx = UUID.randomUUID();
    String digest =
        new VotePayload(tx, UUID.randomUUID(), "bcrt1qexample", 5000).digest(Decision.APPROVE);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Client client = ETCD.client("root")) {
      EtcdVoteLedger ledger =
          new EtcdVoteLedger(
              client.getKVClient(), keys, Duration.ofSeconds(2), Duration.ofSeconds(60));
      List<Future<CastResult>> results = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        VoteRecord v =
            VoteRecord.unsigned(tx, "n-" + i, Decision.APPROVE, "", digest, Instant.now())
                .withSignature(new byte[] {1});
        results.add(pool.submit(() -> ledger.cast(v)));
        if (i == 100) {
          EtcdMember leader = ETCD.cluster().leader().orElseThrow();
          leader.kill();
        }
      }
      int counted = 0;
      int duplicates = 0;
      for (Future<CastResult> r : results) {
        CastResult result = r.get();
        if (result instanceof CastResult.Counted) {
          counted++;
        } else if (result instanceof CastResult.Duplicate) {
          // a transaction applied while its answer was lost in the failover
          duplicates++;
        }
      }
      assertThat(counted + duplicates).isEqualTo(300);
      VoteSnapshot snapshot = ledger.snapshot(tx);
      assertThat(snapshot.votes()).hasSize(300);
      assertThat(snapshot.counters()).containsEntry(digest, 300L);

      // the decision is reached on the new leader, and the vote is closed from then on
      assertThat(ledger.decide(tx, "approved")).isEqualTo("approved");
      VoteRecord late =
          VoteRecord.unsigned(tx, "n-late", Decision.APPROVE, "", digest, Instant.now())
              .withSignature(new byte[] {1});
      assertThat(ledger.cast(late)).isInstanceOf(CastResult.Late.class);
      assertThat(ledger.snapshot(tx).counters()).containsEntry(digest, 300L);
    } finally {
      pool.shutdownNow();
    }
  }
}
