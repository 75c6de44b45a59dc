package io.mpcw.node.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long this node keeps its own etcd records (votes, signing locks, share records) before it
 * deletes them ({@code mpcw.etcd.retention.*}).
 *
 * @param enabled whether the node prunes its records at all
 * @param retention how long a record is kept after it was last written; after a restart the node
 *     prunes nothing for one such period (it must first observe etcd's revisions that long)
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
