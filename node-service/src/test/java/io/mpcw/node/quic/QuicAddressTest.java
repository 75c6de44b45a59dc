package io.mpcw.node.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.transport.pki.PeerIdentity;
import org.junit.jupiter.api.Test;

class QuicAddressTest {

  @Test
  void parsesHostAndPort() {
    assertThat(QuicAddress.parse("127.0.0.1:7101").getPort()).isEqualTo(7101);
    assertThat(QuicAddress.parse("127.0.0.1:7101").getHostString()).isEqualTo("127.0.0.1");
  }

  @Test
  void refusesAddressWithoutPort() {
    assertThatThrownBy(() -> QuicAddress.parse("127.0.0.1"))
        .hasMessageContaining("mpcw.node.quic-address must be host:port");
    assertThatThrownBy(() -> QuicAddress.parse("127.0.0.1:x")).hasMessageContaining("port");
  }

  @Test
  void admitsTheOrchestratorAndOnlyNodesTheRegistryLists() {
    var registered =
        new java.util.concurrent.atomic.AtomicReference<java.util.Set<String>>(
            java.util.Set.of("node-12"));
    var policy = ClusterIdentityPolicy.of("orchestrator", "node-[0-9]+", registered::get);

    assertThat(policy.permits(PeerIdentity.of("orchestrator"))).isTrue();
    assertThat(policy.permits(PeerIdentity.of("node-12"))).isTrue();
    assertThat(policy.permits(PeerIdentity.of("node-13"))).as("not registered").isFalse();
    assertThat(policy.permits(PeerIdentity.of("registry"))).isFalse();
    assertThat(policy.permits(PeerIdentity.of("node-1x"))).isFalse();

    registered.set(java.util.Set.of("node-13"));
    assertThat(policy.permits(PeerIdentity.of("node-13"))).isTrue();
    assertThat(policy.permits(PeerIdentity.of("node-12"))).as("deregistered").isFalse();
  }
}
