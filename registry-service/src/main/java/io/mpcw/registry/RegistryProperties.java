package io.mpcw.registry;

import io.mpcw.types.cluster.NodeIdentities;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the registry ({@code mpcw.registry.*}).
 *
 * @param suspectAfter silence after the last heartbeat before an active node becomes suspect
 * @param deadAfter silence after the last heartbeat before a node becomes dead (> suspectAfter)
 * @param sweepInterval pause between two liveness sweeps
 * @param nodeIdPattern what a node id must look like to register (the nodes' {@code
 *     mpcw.node.vote-server.node-identity-pattern}); service names (orchestrator, registry, ca) are
 *     refused whatever it says
 */
@ConfigurationProperties("mpcw.registry")
public record RegistryProperties(
    @DefaultValue("10s") Duration suspectAfter,
    @DefaultValue("15s") Duration deadAfter,
    @DefaultValue("1s") Duration sweepInterval,
    @DefaultValue(NodeIdentities.DEFAULT_PATTERN) String nodeIdPattern) {

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
    try {
      Pattern.compile(nodeIdPattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "mpcw.registry.node-id-pattern is not a regular expression: " + e.getDescription());
    }
  }

  /** The node ids this registry accepts registrations for. */
  public NodeIdentities nodeIdentities() {
    return NodeIdentities.of(nodeIdPattern, java.util.Set.of());
  }
}
