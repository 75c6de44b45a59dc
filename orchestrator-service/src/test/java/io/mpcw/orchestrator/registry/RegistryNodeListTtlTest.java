package io.mpcw.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.cluster.ClusterTrust;
import io.mpcw.orchestrator.cluster.PeerMembership;
import io.mpcw.orchestrator.config.RegistryProperties;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RegistryNodeListTtlTest extends OrchestratorTestBase {
  @Autowired ObjectMapper json;
  @Autowired ClusterTrust trust;
  @Autowired MembershipStore store;
  @Autowired PeerMembership peers;
  @Autowired MembershipMetrics metrics;

  private RegistryClient client(Duration ttl) {
    return new RegistryClient(
        new RegistryProperties(URI.create(REGISTRY.url()), Duration.ofSeconds(2), ttl),
        json,
        trust,
        store,
        peers,
        metrics);
  }

  @Test
  void aNodeListIsReadOnceAndReusedWithinItsTtl() {
    RegistryClient client = client(Duration.ofHours(1));
    int before = REGISTRY.listRequests();

    var first = client.allNodes();
    REGISTRY.quicAddress(1, "127.0.0.1:1");
    var second = client.allNodes();
    client.nodes();

    assertThat(REGISTRY.listRequests() - before).isEqualTo(1);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aZeroTtlReadsTheRegistryEveryTime() {
    RegistryClient client = client(Duration.ZERO);
    int before = REGISTRY.listRequests();

    client.allNodes();
    REGISTRY.quicAddress(1, "127.0.0.1:1");
    var after = client.allNodes();

    assertThat(REGISTRY.listRequests() - before).isEqualTo(2);
    assertThat(after.stream().filter(n -> n.nodeId().equals("node-1")).findFirst().orElseThrow())
        .extracting(ClusterNode::quicAddress)
        .isEqualTo("127.0.0.1:1");
  }

  @Test
  void aRegistryOutageIsSeenAtTheNextReadAfterTheTtl() {
    RegistryClient client = client(Duration.ZERO);
    client.nodes();

    REGISTRY.up(false);

    assertThat(client.nodes().stale()).isTrue();
  }
}
