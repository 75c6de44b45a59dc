package io.mpcw.orchestrator.signing;

import io.etcd.jetcd.Client;
import io.mpcw.orchestrator.config.EtcdProperties;
import io.mpcw.protocol.signing.EtcdSigningSessions;
import io.mpcw.types.etcd.EtcdKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The etcd side of signing sessions: where nodes record shares and the orchestrator aborts. */
@Configuration(proxyBeanMethods = false)
class SigningSessionsConfiguration {

  @Bean
  EtcdSigningSessions etcdSigningSessions(Client etcd, EtcdProperties properties) {
    return new EtcdSigningSessions(
        etcd.getKVClient(), new EtcdKeys(properties.prefix()), properties.callTimeout());
  }
}
