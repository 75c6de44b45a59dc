package io.mpcw.orchestrator.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the orchestrator keeps the decision and abort records of finished payments in etcd
 * ({@code mpcw.etcd.retention.*}, as the nodes name theirs).
 *
 * @param enabled whether the orchestrator prunes its records at all
 * @param retention how long a record is kept after it was last written (and only once its payment
 *     is terminal); after a restart nothing is pruned for one such period
 * @param sweepInterval how often it notes etcd's revision and prunes
 */
@ConfigurationProperties("mpcw.etcd.retention")
public record RetentionProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("7d") Duration retention,
    @DefaultValue("5m") Duration sweepInterval) {

  public RetentionProperties {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("mpcw.etcd.retention.retention must be positive");
    }
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("mpcw.etcd.retention.sweep-interval must be positive");
    }
  }
}
