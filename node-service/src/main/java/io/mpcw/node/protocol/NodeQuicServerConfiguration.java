package io.mpcw.node.protocol;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.NodeProperties;
import io.mpcw.node.fault.SigningFaults;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.peer.PeerExchange;
import io.mpcw.node.quic.ClusterIdentityPolicy;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.quic.QuicAddress;
import io.mpcw.node.quic.QuicServerProperties;
import io.mpcw.node.quic.VoteServerProperties;
import io.mpcw.node.registry.ClusterMembership;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's QUIC server on {@code mpcw.node.quic-address}, serving votes, DKG and signing, and the
 * peer exchange of peer mode; a node simulating a signing fault has it applied around the router.
 * Wired here, above the features, so the transport package knows none of them.
 */
@Configuration(proxyBeanMethods = false)
class NodeQuicServerConfiguration {

  @Bean
  NodeQuicServer nodeQuicServer(
      NodeProperties node,
      VoteServerProperties server,
      QuicServerProperties limits,
      NodeIdentity identity,
      ProtocolRouter handler,
      SigningFaults faults,
      ClusterMembership membership,
      PeerExchange peers,
      MeterRegistry meters) {
    return new NodeQuicServer(
        identity,
        ClusterIdentityPolicy.of(
            server.orchestratorIdentity(), server.nodeIdentityPattern(), membership::nodes),
        QuicAddress.parse(node.quicBindAddress()),
        peers.serving(faults.around(handler)),
        limits.transportSettings(),
        meters);
  }
}
