package io.mpcw.registry;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the registry ({@code mpcw.registry.*}).
 *
 * @param clusterToken bearer token every node presents (env {@code MPCW_CLUSTER_TOKEN}); required
 * @param suspectAfter silence after the last heartbeat before an active node becomes suspect
 * @param deadAfter silence after the last heartbeat before a node becomes dead (> suspectAfter)
 * @param sweepInterval pause between two liveness sweeps
 */
@Validated
@ConfigurationProperties("mpcw.registry")
public record RegistryProperties(
    @NotBlank String clusterToken,
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

  /** Keeps the token out of logs and diagnostics that print configuration. */
  @Override
  public String toString() {
    return "RegistryProperties[clusterToken=****, suspectAfter=%s, deadAfter=%s, sweepInterval=%s]"
        .formatted(suspectAfter, deadAfter, sweepInterval);
  }
}
