package io.mpcw.orchestrator.pipeline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often the per-state gauge is read from the database ({@code mpcw.metrics.*}).
 *
 * @param stateCountInterval the states payments pass through, read through the state index
 * @param terminalStateCountInterval every state, the terminal ones included: a read of every
 *     payment ever made, so seldom
 */
@ConfigurationProperties("mpcw.metrics")
public record StateCountProperties(
    @DefaultValue("5s") Duration stateCountInterval,
    @DefaultValue("1m") Duration terminalStateCountInterval) {

  public StateCountProperties {
    if (stateCountInterval.isNegative() || stateCountInterval.isZero()) {
      throw new IllegalArgumentException("mpcw.metrics.state-count-interval must be positive");
    }
    if (terminalStateCountInterval.isNegative() || terminalStateCountInterval.isZero()) {
      throw new IllegalArgumentException(
          "mpcw.metrics.terminal-state-count-interval must be positive");
    }
  }
}
