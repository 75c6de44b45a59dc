package io.mpcw.node.vote;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Opens the etcd connection once the node is ready, instead of on its first vote: the client
 * connects lazily, and on a busy machine that first connection took seconds, all of it charged to
 * the first payment's vote. Also says at start whether etcd is reachable.
 */
@Component
class EtcdWarmup {
  private static final Logger log = LoggerFactory.getLogger(EtcdWarmup.class);
  private final Client etcd;
  private final EtcdProperties properties;

  EtcdWarmup(Client etcd, EtcdProperties properties) {
    this.etcd = etcd;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void connect() {
    etcd.getKVClient()
        .get(
            // a key inside the cluster's prefix: the node's etcd role reads nothing outside it
            ByteSequence.from(new EtcdKeys(properties.prefix()).all(), StandardCharsets.UTF_8),
            GetOption.builder().withCountOnly(true).build())
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                log.warn(
                    "etcd at {} is not reachable yet: {}",
                    String.join(",", properties.endpointList()),
                    failure.toString());
              } else {
                log.info("etcd at {} reachable", String.join(",", properties.endpointList()));
              }
            });
  }
}
