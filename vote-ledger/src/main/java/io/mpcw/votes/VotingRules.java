package io.mpcw.votes;

import java.util.Set;

/**
 * One round's rules.
 *
 * @param threshold approvals needed (t)
 * @param totalNodes cluster size (n)
 * @param eligible the nodes asked in this round
 */
public record VotingRules(int threshold, int totalNodes, Set<String> eligible) {

  public VotingRules {
    if (threshold < 1 || threshold > totalNodes) {
      throw new IllegalArgumentException(
          "need 1 <= t <= n, got t=" + threshold + " n=" + totalNodes);
    }
    eligible = Set.copyOf(eligible);
  }

  /** Byzantine tolerance f = ⌊(n − 1) / 3⌋. */
  public int byzantineTolerance() {
    return (totalNodes - 1) / 3;
  }
}
