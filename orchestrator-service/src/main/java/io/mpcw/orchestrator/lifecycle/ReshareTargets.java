package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.protocol.lifecycle.ReshareSubject;
import io.mpcw.types.problem.ProblemType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Checks what a reshare request asks for before anything is voted on: a threshold of at least 2 and
 * at most the set's size, a set without duplicates, of nodes the registry knows, that are active
 * and reachable (a node of the new set must receive and stage its share, or the reshare cannot
 * commit). Each refusal is a problem naming the field at fault.
 */
@Component
class ReshareTargets {
  private final RegistryClient registry;
  private final NodeDirectory directory;

  ReshareTargets(RegistryClient registry, NodeDirectory directory) {
    this.registry = registry;
    this.directory = directory;
  }

  ReshareSubject check(Integer threshold, List<String> participants) {
    if (threshold == null) {
      throw ApiException.invalid("threshold", "is required");
    }
    if (participants == null || participants.isEmpty()) {
      throw ApiException.invalid("participants", "is required: the node ids of the new set");
    }
    if (threshold < ReshareSubject.MIN_THRESHOLD) {
      throw ApiException.invalid(
          "threshold", "must be at least " + ReshareSubject.MIN_THRESHOLD + ", was " + threshold);
    }
    Set<String> seen = new HashSet<>();
    for (String node : participants) {
      if (node == null || node.isBlank()) {
        throw ApiException.invalid("participants", "holds an empty node id");
      }
      if (!seen.add(node)) {
        throw ApiException.invalid("participants", "lists " + node + " more than once");
      }
    }
    if (threshold > participants.size()) {
      throw ApiException.invalid(
          "threshold",
          "must not exceed the number of participants ("
              + participants.size()
              + "), was "
              + threshold);
    }
    Map<String, NodeDirectory.KnownNode> known;
    List<ClusterNode> active;
    try {
      known = directory.nodes();
      active = registry.activeNodes();
    } catch (RegistryUnavailableException e) {
      throw new ApiException(
          ProblemType.UNAVAILABLE,
          "The registry cannot say which nodes are healthy now; try again: " + e.getMessage());
    }
    List<String> unknown = new ArrayList<>();
    List<String> unhealthy = new ArrayList<>();
    Set<String> activeIds = new HashSet<>();
    active.forEach(n -> activeIds.add(n.nodeId()));
    for (String node : participants) {
      NodeDirectory.KnownNode k = known.get(node);
      if (k == null) {
        unknown.add(node);
      } else if (!activeIds.contains(node) || k.endpoint().isEmpty() || k.certificate().isEmpty()) {
        unhealthy.add(node);
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiException.invalid(
          "participants", "names nodes the registry does not know: " + unknown);
    }
    if (!unhealthy.isEmpty()) {
      throw ApiException.invalid(
          "participants",
          "names nodes that are not healthy now (not active, no address or no trusted"
              + " certificate): "
              + unhealthy);
    }
    try {
      return new ReshareSubject(threshold, participants);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("participants", e.getMessage());
    }
  }
}
