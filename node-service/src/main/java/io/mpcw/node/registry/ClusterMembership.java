package io.mpcw.node.registry;

import io.mpcw.types.cluster.NodeView;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The nodes the registry last listed, with the certificate each registered with. Peers are admitted
 * only if they are registered nodes; while the registry cannot be reached the last known list stays
 * in force.
 */
public final class ClusterMembership {
  private volatile Map<String, Optional<String>> nodes = Map.of();

  public Set<String> nodes() {
    return nodes.keySet();
  }

  /**
   * The PEM certificate {@code nodeId} registered with, as the registry reports it; not yet checked
   * against the cluster CA (see {@link PeerCertificates}).
   */
  public Optional<String> certificatePem(String nodeId) {
    return nodes.getOrDefault(nodeId, Optional.empty());
  }

  public void update(Collection<NodeView> registered) {
    Map<String, Optional<String>> next = new HashMap<>();
    for (NodeView node : registered) {
      String pem = node.certificate();
      next.put(node.nodeId(), pem == null || pem.isBlank() ? Optional.empty() : Optional.of(pem));
    }
    nodes = Map.copyOf(next);
  }
}
