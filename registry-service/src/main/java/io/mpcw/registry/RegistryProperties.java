package io.mpcw.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the registry ({@code mpcw.registry.*}).
 *
 * @param suspectAfter silence after the last heartbeat before an active node becomes suspect
 * @param deadAfter silence after the last heartbeat before a node becomes dead (> suspectAfter)
 * @param sweepInterval pause between two liveness sweeps
 */
@ConfigurationProperties("mpcw.registry")
public record RegistryProperties(
    @DefaultValue("10s") Duration suspectAfter,
    @DefaultValue("15s") Duration deadAfter,
    @DefaultValue("1s") Duration sweepInterval) {

  public RegistryProperties {
    if (suspectAfter.isNegative() || suspectAfter.isZero()) {
      throw new IllegalArgumentException("mpcw.registry.suspect-after must be positive");
    }
    if (deadAfter.compareTo(suspectAfter) <= 0) {
      throw new IllegalArgumentException(
          "mpcw.registry.dead-after must be longer than mpcw.registry.suspect-after");
    }
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("mpcw.registry.sweep-interval must be positive");
    }
  }
}
