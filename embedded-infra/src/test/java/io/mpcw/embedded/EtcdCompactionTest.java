package io.mpcw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class EtcdCompactionTest {

  @Test
  void everyMemberStartsWithPeriodicAutoCompaction() throws Exception {
    try (EtcdCluster cluster = EtcdCluster.startTemporary(1)) {
      EtcdMember member = cluster.members().get(0);
      // etcd prints the configuration it runs with when it starts
      String log = Files.readString(member.logFile());

      assertThat(EtcdMember.AUTO_COMPACTION_RETENTION).isEqualTo("1m");
      assertThat(log)
          .contains("\"auto-compaction-mode\":\"periodic\"")
          .contains("\"auto-compaction-retention\":\"1m0s\"");
    }
  }
}
