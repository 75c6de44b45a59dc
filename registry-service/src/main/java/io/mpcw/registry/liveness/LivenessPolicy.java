package io.mpcw.registry.liveness;

import io.mpcw.types.cluster.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pure liveness rule: how long a node has been silent decides its status. Silence only ever
 * worsens a status here; only a heartbeat (or re-registration) makes a node active again.
 */
public record LivenessPolicy(Duration suspectAfter, Duration deadAfter) {

  /** The status a node deserves after {@code silence} without a heartbeat. */
  public NodeStatus statusAfter(Duration silence) {
    if (silence.compareTo(deadAfter) >= 0) {
      return NodeStatus.DEAD;
    }
    if (silence.compareTo(suspectAfter) >= 0) {
      return NodeStatus.SUSPECT;
    }
    return NodeStatus.ACTIVE;
  }

  /** The status to move to, or empty when {@code current} still holds. */
  public Optional<NodeStatus> decide(NodeStatus current, Instant lastHeartbeat, Instant now) {
    NodeStatus deserved = statusAfter(Duration.between(lastHeartbeat, now));
    return deserved.isWorseThan(current) ? Optional.of(deserved) : Optional.empty();
  }

  /** Heartbeats at or before this instant are old enough for a node to be at least suspect. */
  public Instant suspectCutoff(Instant now) {
    return now.minus(suspectAfter);
  }
}
