package io.mpcw.node.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.NodeProperties;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.quic.VoteServerProperties;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the registry client and the agent that keeps this node registered. */
@Configuration(proxyBeanMethods = false)
class RegistryAgentConfiguration {

  @Bean
  RegistryClient registryClient(
      RestClient.Builder builder, NodeProperties properties, NodeIdentity identity) {
    return new RegistryClient(
        builder, properties.registryUrl(), properties.requestTimeout(), identity.credentials());
  }

  @Bean
  ClusterMembership clusterMembership() {
    return new ClusterMembership();
  }

  @Bean
  PeerCertificates peerCertificates(
      ClusterMembership membership, NodeIdentity identity, VoteServerProperties server) {
    return new PeerCertificates(membership, identity, Clock.systemUTC(), server.nodeIdentities());
  }

  @Bean
  RegistryClientMetrics registryClientMetrics(MeterRegistry meters) {
    return new RegistryClientMetrics(meters);
  }

  @Bean
  AdvertisedManagementUrl advertisedManagementUrl(
      NodeProperties properties, @Value("${server.port:8080}") int serverPort) {
    return new AdvertisedManagementUrl(properties, serverPort);
  }
}
