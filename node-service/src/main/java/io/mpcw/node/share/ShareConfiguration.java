package io.mpcw.node.share;

import io.mpcw.node.NodeProperties;
import java.security.SecureRandom;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the encrypted share store at startup; a node that cannot open it does not start. */
@Configuration(proxyBeanMethods = false)
class ShareConfiguration {

  @Bean
  EncryptedShareStore shareStore(ShareStoreProperties properties, NodeProperties node) {
    return EncryptedShareStore.open(
        properties.directory(node.nodeId()),
        node.nodeId(),
        ShareKey.from(properties),
        new SecureRandom());
  }
}
