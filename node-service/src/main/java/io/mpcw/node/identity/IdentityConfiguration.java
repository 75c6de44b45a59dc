package io.mpcw.node.identity;

import io.mpcw.node.NodeProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads this node's identity once at startup; a node that cannot prove it does not start. */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

  @Bean
  NodeIdentity nodeIdentity(PkiProperties pki, NodeProperties node) {
    return NodeIdentityLoader.load(pki.dir(), node.nodeId(), Clock.systemUTC().instant());
  }
}
