package io.mpcw.node.dkg;

import io.mpcw.node.NodeProperties;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.quic.VoteServerProperties;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.protocol.dkg.DkgParticipant;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This node's side of distributed key generation; its shares go to the encrypted store. */
@Configuration(proxyBeanMethods = false)
class DkgConfiguration {

  @Bean
  DkgParticipant dkgParticipant(
      NodeProperties node,
      NodeIdentity identity,
      PeerCertificates peers,
      EncryptedShareStore store,
      DkgProperties properties,
      VoteServerProperties server) {
    return new DkgParticipant(
        node.nodeId(),
        identity.credentials(),
        peers,
        store,
        new SecureRandom(),
        Clock.systemUTC(),
        properties.sessionTtl(),
        server.nodeIdentities());
  }
}
