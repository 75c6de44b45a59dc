package io.mpcw.node.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This node's policy and limits for key lifecycle operations ({@code mpcw.node.lifecycle.*}).
 *
 * @param refreshAllowed whether this node approves refreshes of its wallets' shares; when false it
 *     votes {@code reject} with {@code refusalReason}
 * @param repairAllowed whether this node approves, and helps with, repairs of a participant's lost
 *     share
 * @param reshareAllowed whether this node approves reshares of its wallets to a new set or
 *     threshold (as a current participant; a node joining a wallet has no vote)
 * @param refusalReason the reason recorded with a rejection
 * @param sessionTtl how long a dealt zero-sharing waits in memory for part 2
 */
@ConfigurationProperties("mpcw.node.lifecycle")
public record LifecycleProperties(
    @DefaultValue("true") boolean refreshAllowed,
    @DefaultValue("true") boolean repairAllowed,
    @DefaultValue("true") boolean reshareAllowed,
    @DefaultValue("this operation is not allowed by this node's policy") String refusalReason,
    @DefaultValue("2m") Duration sessionTtl) {

  public LifecycleProperties {
    if (sessionTtl.isNegative() || sessionTtl.isZero()) {
      throw new IllegalArgumentException("mpcw.node.lifecycle.session-ttl must be positive");
    }
  }
}
