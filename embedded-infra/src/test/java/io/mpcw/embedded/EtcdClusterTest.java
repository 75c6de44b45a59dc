package io.mpcw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  @Test
  void aRestartWhosePortAnotherSocketHoldsForAWhileWaitsForThePortAndComesUp() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.startTemporary(1)) {
      EtcdMember member = cluster.members().get(0);
      member.kill();
      long logBefore = Files.size(member.logFile());
      try (ServerSocket squatter =
          new ServerSocket(member.peerPort(), 1, InetAddress.getLoopbackAddress())) {
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> cluster.restart(member));
        awaitLogged(member, logBefore, "address already in use");
        assertThat(restart).isNotDone();
        squatter.close();
        restart.get(30, TimeUnit.SECONDS);
      }
      assertThat(member.isHealthy()).isTrue();
    }
  }

  private static void awaitLogged(EtcdMember member, long from, String text) throws Exception {
    for (int i = 0; i < 200; i++) {
      String log = Files.readString(member.logFile());
      if (log.length() > from && log.substring((int) from).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the member never logged '" + text + "'");
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
