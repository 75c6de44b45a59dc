package io.mpcw.orchestrator.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Key lifecycle operations ({@code mpcw.lifecycle.*}).
 *
 * @param enabled whether this replica runs lifecycle operations (tests drive the runner)
 * @param pollInterval how often a runner looks for due operations
 * @param requestDeadline how long one request to a node may take
 * @param lease how long a runner holds an operation before another may take it over (longer than
 *     one step: votes, or part 1 and part 2 of a refresh)
 * @param retryDelay how long an operation waits before a step is tried again
 * @param votingTimeout a vote still undecided after this long aborts the operation
 * @param maxDealingAttempts dealing rounds that failed (a node down, restarted or at fault) before
 *     the operation is aborted; nothing was committed then, the wallet stays in its epoch
 */
@ConfigurationProperties("mpcw.lifecycle")
public record LifecycleProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("500ms") Duration pollInterval,
    @DefaultValue("10s") Duration requestDeadline,
    @DefaultValue("60s") Duration lease,
    @DefaultValue("1s") Duration retryDelay,
    @DefaultValue("2m") Duration votingTimeout,
    @DefaultValue("5") int maxDealingAttempts) {

  public LifecycleProperties {
    if (maxDealingAttempts < 1) {
      throw new IllegalArgumentException("mpcw.lifecycle.max-dealing-attempts must be at least 1");
    }
    if (lease.compareTo(requestDeadline.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException(
          "mpcw.lifecycle.lease must be at least three request deadlines (a step asks twice)");
    }
  }
}
