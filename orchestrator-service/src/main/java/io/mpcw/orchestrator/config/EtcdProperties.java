package io.mpcw.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The etcd cluster holding the votes.
 *
 * @param endpoints comma-separated client URLs, {@code https://} (etcd requires client
 *     certificates, see {@code mpcw.etcd.tls.*})
 * @param prefix key prefix of the vote ledger
 * @param callTimeout bound on every etcd call (a call in flight when the leader dies can hang)
 */
@ConfigurationProperties("mpcw.etcd")
public record EtcdProperties(
    @DefaultValue("https://127.0.0.1:2379") String endpoints,
    @DefaultValue("/mpcw") String prefix,
    @DefaultValue("2s") Duration callTimeout) {}
