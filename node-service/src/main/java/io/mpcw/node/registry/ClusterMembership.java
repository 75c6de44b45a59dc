package io.mpcw.node.registry;

import java.util.Set;

/**
 * The node ids the registry last listed. Peers are admitted only if they are registered nodes;
 * while the registry cannot be reached the last known list stays in force.
 */
public final class ClusterMembership {
  private volatile Set<String> nodes = Set.of();

  public Set<String> nodes() {
    return nodes;
  }

  public void update(Set<String> registered) {
    nodes = Set.copyOf(registered);
  }
}
