package io.mpcw.registry.liveness;

import io.mpcw.registry.RegistryProperties;
import io.mpcw.registry.metrics.RegistryMetrics;
import io.mpcw.types.cluster.NodeStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies {@link LivenessPolicy} to every silent node. Each change is a compare-and-set on the row,
 * so any number of registry replicas may sweep the same database at once: a transition happens
 * exactly once, and a heartbeat that lands mid-sweep wins.
 */
@Service
public class LivenessSweeper {
  private static final Logger log = LoggerFactory.getLogger(LivenessSweeper.class);

  private final LivenessRepository repository;
  private final RegistryMetrics metrics;
  private final LivenessPolicy policy;
  private final Clock clock;

  LivenessSweeper(
      LivenessRepository repository,
      RegistryMetrics metrics,
      RegistryProperties properties,
      Clock clock) {
    this.repository = repository;
    this.metrics = metrics;
    this.policy = new LivenessPolicy(properties.suspectAfter(), properties.deadAfter());
    this.clock = clock;
  }

  /** Runs one sweep; returns how many transitions this call made. */
  @Transactional
  public int sweep() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    int applied = 0;
    for (LivenessRepository.SilentNode node : repository.silentSince(policy.suspectCutoff(now))) {
      var decision = policy.decide(node.status(), node.lastHeartbeat(), now);
      if (decision.isPresent() && repository.transition(node, decision.get(), now)) {
        applied++;
        logTransition(node, decision.get());
      }
    }
    metrics.nodeCounts(repository.countByStatus());
    return applied;
  }

  private static void logTransition(LivenessRepository.SilentNode node, NodeStatus to) {
    if (to == NodeStatus.DEAD) {
      log.warn("node {} is dead (last heartbeat {})", node.nodeId(), node.lastHeartbeat());
    } else {
      log.info("node {} {} -> {}", node.nodeId(), node.status().wireName(), to.wireName());
    }
  }
}
