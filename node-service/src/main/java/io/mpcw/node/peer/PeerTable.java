package io.mpcw.node.peer;

import io.mpcw.node.registry.ClusterMembership.Member;
import io.mpcw.types.cluster.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The merge rules of peer mode, as pure functions over the membership map: per node the report with
 * the newest last-seen time wins, and liveness follows from how long ago that was. A node's
 * liveness is the cluster's newest first-hand news of it, so a peer this node cannot reach but
 * another can stays alive, and a killed peer goes suspect, then dead, everywhere.
 */
final class PeerTable {
  private final String self;
  private final Duration suspectAfter;
  private final Duration deadAfter;

  PeerTable(String self, Duration suspectAfter, Duration deadAfter) {
    this.self = self;
    this.suspectAfter = suspectAfter;
    this.deadAfter = deadAfter;
  }

  NodeStatus statusAt(Instant lastSeen, Instant now) {
    Duration silent = Duration.between(lastSeen, now);
    if (silent.compareTo(suspectAfter) < 0) {
      return NodeStatus.ACTIVE;
    }
    return silent.compareTo(deadAfter) < 0 ? NodeStatus.SUSPECT : NodeStatus.DEAD;
  }

  /**
   * Takes every report newer than what is known; reports about this node are ignored (it knows
   * better). {@code reports} have been checked (certificate, id, address) and their last-seen times
   * capped at now, so a peer cannot keep a node alive by dating news in the future.
   */
  Map<String, Member> merge(Map<String, Member> members, Collection<Member> reports, Instant now) {
    for (Member report : reports) {
      if (report.nodeId().equals(self)) {
        continue;
      }
      Member known = members.get(report.nodeId());
      if (known == null || report.lastSeen().isAfter(known.lastSeen())) {
        members.put(report.nodeId(), report.withStatus(statusAt(report.lastSeen(), now)));
      }
    }
    return members;
  }

  /** {@code nodeId} just proved itself alive (it answered, or it called). */
  Map<String, Member> heard(Map<String, Member> members, String nodeId, Instant now) {
    Member known = members.get(nodeId);
    if (known != null) {
      members.put(
          nodeId,
          new Member(nodeId, known.quicAddress(), known.certificatePem(), NodeStatus.ACTIVE, now));
    }
    return members;
  }

  /** Recomputes every status at {@code now}; this node is always active. */
  Map<String, Member> refresh(Map<String, Member> members, Member selfNow, Instant now) {
    members.replaceAll((id, m) -> m.withStatus(statusAt(m.lastSeen(), now)));
    members.put(self, selfNow);
    return members;
  }
}
