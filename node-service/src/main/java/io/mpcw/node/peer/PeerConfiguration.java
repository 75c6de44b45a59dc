package io.mpcw.node.peer;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.NodeProperties;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.load.CpuLoad;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.node.quic.QuicAddress;
import io.mpcw.node.quic.VoteServerProperties;
import io.mpcw.node.registry.AdvertisedManagementUrl;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.registry.RegistryAgent;
import io.mpcw.node.registry.RegistryClient;
import io.mpcw.node.registry.RegistryClientMetrics;
import io.mpcw.node.session.InFlightSessions;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.quic.QuicTransportClient;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Peer mode: the exchange (client, server half, schedule), its metrics and the endpoint. */
@Configuration(proxyBeanMethods = false)
class PeerConfiguration {

  @Bean
  PeerMetrics peerMetrics(MeterRegistry meters, ClusterMembership membership) {
    return new PeerMetrics(meters, membership);
  }

  @Bean
  PeerExchange peerExchange(
      NodeProperties node,
      NodeIdentity identity,
      VoteServerProperties server,
      ClusterMembership membership,
      PeerCertificates certificates,
      PeerProperties properties,
      PeerMetrics metrics,
      MeterRegistry meters,
      ObjectProvider<NodeQuicServer> quicServer) {
    // the server gets this exchange's handler, so its bound port is looked up only when needed
    Supplier<Optional<String>> selfAddress =
        () ->
            QuicAddress.parse(node.quicAddress()).getPort() > 0
                ? Optional.of(node.quicAddress())
                : quicServer.getObject().endpoint().map(PeerConfiguration::hostPort);
    QuicTransportClient client =
        new QuicTransportClient(
            identity.credentials(),
            identity.clusterCa(),
            TransportSettings.defaults().withConnectTimeout(properties.requestDeadline()),
            meters,
            Clock.systemUTC());
    return new PeerExchange(
        identity.nodeId(),
        selfAddress,
        PemFiles.toPem(identity.certificate()),
        server.orchestratorIdentity(),
        membership,
        new PeerEntries(identity.nodeId(), server.nodeIdentityPattern(), certificates, metrics),
        client,
        properties,
        metrics,
        Clock.systemUTC());
  }

  @Bean
  MembershipEndpoint membershipEndpoint(ClusterMembership membership) {
    return new MembershipEndpoint(membership);
  }

  private static String hostPort(Endpoint endpoint) {
    return endpoint.host() + ":" + endpoint.port();
  }

  /** Peer mode is what the agent falls back to, so it is built here with peer mode's threshold. */
  @Bean
  RegistryAgent registryAgent(
      RegistryClient client,
      RegistryClientMetrics metrics,
      NodeProperties properties,
      AdvertisedManagementUrl managementUrl,
      CpuLoad cpu,
      InFlightSessions sessions,
      ClusterMembership membership,
      PeerProperties peer) {
    return new RegistryAgent(
        client,
        metrics,
        properties,
        managementUrl,
        cpu,
        sessions,
        membership,
        peer.enterAfterFailures());
  }
}
