package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.transport.pki.ClusterPki;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member cut off from the leader must refuse a client of {@link EtcdClients} at once with "no
 * leader" rather than hold the call until it times out: in the chaos suite's 2 | 3 split the
 * services' calls that land on the minority otherwise hang for their whole timeout and payments
 * stall although the majority decides.
 */
class EtcdMinorityRefusalTest {
  @Test
  void aMemberWithoutLeaderRefusesAWriteWithNoLeader() throws Exception {
    try (EtcdCluster etcd = EtcdCluster.startTemporary(3)) {
      EtcdMember survivor = etcd.members().get(0);
      etcd.members().subList(1, 3).forEach(EtcdMember::kill);
      try (Client client =
          EtcdClients.connect(
              List.of(survivor.clientUrl()), etcd.pki().tls(ClusterPki.ETCD_ROOT))) {
        // alone, the survivor loses its leader (a leader steps down without a quorum)
        assertThat(
                Processes.await(
                    Duration.ofSeconds(30),
                    () -> {
                      try {
                        return client
                                .getMaintenanceClient()
                                .statusMember(survivor.clientUrl())
                                .get(2, TimeUnit.SECONDS)
                                .getLeader()
                            == 0;
                      } catch (Exception e) {
                        // with require-leader even the status call is refused
                        return String.valueOf(e.getMessage()).contains("no leader");
                      }
                    }))
            .isTrue();
        Throwable refused =
            catchThrowable(
                () ->
                    client
                        .getKVClient()
                        .put(
                            ByteSequence.from("/probe", StandardCharsets.UTF_8),
                            ByteSequence.from("x", StandardCharsets.UTF_8))
                        .get(30, TimeUnit.SECONDS));
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("no leader");
      }
    }
  }
}
