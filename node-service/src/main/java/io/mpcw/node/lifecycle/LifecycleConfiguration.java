package io.mpcw.node.lifecycle;

import io.mpcw.node.NodeProperties;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.protocol.lifecycle.LifecyclePolicy;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.protocol.lifecycle.RepairParticipant;
import io.mpcw.protocol.lifecycle.ReshareParticipant;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This node's side of the key lifecycle (refresh, repair, reshare); new shares go to the encrypted
 * store.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleConfiguration {

  @Bean
  RefreshParticipant refreshParticipant(
      NodeProperties node,
      NodeIdentity identity,
      PeerCertificates peers,
      EncryptedShareStore store,
      LifecycleProperties properties) {
    LifecyclePolicy policy =
        (kind, walletId, subject) ->
            (RefreshParticipant.REFRESH.equals(kind) && !properties.refreshAllowed())
                    || (RefreshParticipant.REPAIR.equals(kind) && !properties.repairAllowed())
                    || (RefreshParticipant.RESHARE.equals(kind) && !properties.reshareAllowed())
                ? Optional.of(properties.refusalReason())
                : Optional.empty();
    return new RefreshParticipant(
        node.nodeId(),
        identity.credentials(),
        peers,
        store,
        policy,
        new SecureRandom(),
        Clock.systemUTC(),
        properties.sessionTtl());
  }

  @Bean
  RepairParticipant repairParticipant(
      NodeProperties node,
      NodeIdentity identity,
      PeerCertificates peers,
      EncryptedShareStore store,
      LifecycleProperties properties) {
    return new RepairParticipant(
        node.nodeId(),
        identity.credentials(),
        peers,
        store,
        new SecureRandom(),
        Clock.systemUTC(),
        properties.sessionTtl());
  }

  @Bean
  ReshareParticipant reshareParticipant(
      NodeProperties node,
      NodeIdentity identity,
      PeerCertificates peers,
      EncryptedShareStore store,
      LifecycleProperties properties) {
    return new ReshareParticipant(
        node.nodeId(),
        identity.credentials(),
        peers,
        store,
        new SecureRandom(),
        Clock.systemUTC(),
        properties.sessionTtl());
  }
}
