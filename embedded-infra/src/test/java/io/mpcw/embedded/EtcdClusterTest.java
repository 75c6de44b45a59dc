package io.mpcw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import org.junit.jupiter.api.Test;

class EtcdClusterTest {

  @Test
  void threeMemberClusterElectsNewLeaderAfterLeaderIsKilledAndTakesItBack() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.startTemporary(3)) {
      assertThat(cluster.endpoints().split(",")).hasSize(3);
      EtcdMember leader = awaitLeader(cluster);

      leader.kill();
      assertThat(leader.isRunning()).isFalse();
      EtcdMember next = awaitLeader(cluster);
      assertThat(next).isNotSameAs(leader);

      cluster.restart(leader);
      assertThat(leader.isHealthy()).isTrue();
    }
  }

  private static EtcdMember awaitLeader(EtcdCluster cluster) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var leader = cluster.leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no leader elected within 10 s");
  }
}
