package io.mpcw.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.config.RegistryProperties;
import io.mpcw.orchestrator.support.FakeRegistry;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.orchestrator.trust.ClusterTrust;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RegistryNodeListTtlTest extends OrchestratorTestBase {
  /**
   * A registry of its own: the application's pipeline reads the shared one concurrently, so only a
   * registry that nothing else asks counts this test's reads exactly.
   */
  private static final FakeRegistry OWN = new FakeRegistry();

  @Autowired ObjectMapper json;
  @Autowired ClusterTrust trust;
  @Autowired MembershipStore store;
  @Autowired PeerMembership peers;
  @Autowired MembershipMetrics metrics;

  private RegistryClient client(Duration ttl) {
    return new RegistryClient(
        new RegistryProperties(URI.create(OWN.url()), Duration.ofSeconds(2), ttl),
        json,
        trust,
        store,
        peers,
        metrics);
  }

  @Test
  void aNodeListIsReadOnceAndReusedWithinItsTtl() {
    RegistryClient client = client(Duration.ofHours(1));
    int before = OWN.listRequests();

    var first = client.allNodes();
    OWN.quicAddress(1, "127.0.0.1:1");
    var second = client.allNodes();
    client.nodes();

    assertThat(OWN.listRequests() - before).isEqualTo(1);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aZeroTtlReadsTheRegistryEveryTime() {
    RegistryClient client = client(Duration.ZERO);
    int before = OWN.listRequests();

    client.allNodes();
    OWN.quicAddress(1, "127.0.0.1:1");
    var after = client.allNodes();

    assertThat(OWN.listRequests() - before).isEqualTo(2);
    assertThat(after.stream().filter(n -> n.nodeId().equals("node-1")).findFirst().orElseThrow())
        .extracting(ClusterNode::quicAddress)
        .isEqualTo("127.0.0.1:1");
  }

  @AfterAll
  static void closeOwnRegistry() {
    OWN.close();
  }

  @Test
  void aRegistryOutageIsSeenAtTheNextReadAfterTheTtl() {
    RegistryClient client = client(Duration.ZERO);
    client.nodes();

    OWN.up(false);

    assertThat(client.nodes().stale()).isTrue();
  }
}
