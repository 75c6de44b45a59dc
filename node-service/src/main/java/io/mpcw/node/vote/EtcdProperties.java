package io.mpcw.node.vote;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The etcd cluster holding the vote ledger ({@code mpcw.etcd.*}, as the orchestrator names it).
 *
 * @param endpoints comma-separated client URLs, {@code https://} (etcd requires client
 *     certificates, see {@code mpcw.etcd.tls.*}) (env {@code MPCW_ETCD_ENDPOINTS})
 * @param prefix key prefix of the vote ledger (env {@code MPCW_ETCD_PREFIX})
 * @param callTimeout bound on one etcd call: a call in flight when the leader dies can hang
 * @param castDeadline how long one vote may keep retrying a contended or failing transaction
 */
@ConfigurationProperties("mpcw.etcd")
public record EtcdProperties(
    @DefaultValue("https://127.0.0.1:2379") String endpoints,
    @DefaultValue("/mpcw") String prefix,
    @DefaultValue("2s") Duration callTimeout,
    @DefaultValue("10s") Duration castDeadline) {

  public EtcdProperties {
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("mpcw.etcd.call-timeout must be positive");
    }
    if (castDeadline.isNegative()) {
      throw new IllegalArgumentException("mpcw.etcd.cast-deadline must not be negative");
    }
  }

  public String[] endpointList() {
    return endpoints.split(",");
  }
}
