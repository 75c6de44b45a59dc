package io.mpcw.orchestrator.signing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What went wrong in one attempt, by node: the nodes that did not answer, that sent something
 * invalid, or that refused after their own checks (with the node's code and reason).
 */
final class SigningRound {
  final Map<String, String> unreachable = new LinkedHashMap<>();
  final Map<String, String> culprits = new LinkedHashMap<>();
  final Map<String, String> refusals = new LinkedHashMap<>();

  synchronized void unreachable(String node, String why) {
    unreachable.put(node, why);
  }

  synchronized void culprit(String node, String why) {
    culprits.put(node, why);
  }

  synchronized void refused(String node, String why) {
    refusals.put(node, why);
  }

  /** Whether this round already says something about the node. */
  synchronized boolean names(String node) {
    return unreachable.containsKey(node)
        || culprits.containsKey(node)
        || refusals.containsKey(node);
  }

  synchronized boolean clean() {
    return unreachable.isEmpty() && culprits.isEmpty() && refusals.isEmpty();
  }

  /** The attempt's outcome: culprits weigh most, then refusals, then silence. */
  synchronized SigningOutcome outcome() {
    if (!culprits.isEmpty()) {
      return SigningOutcome.CULPRIT;
    }
    if (!refusals.isEmpty()) {
      return SigningOutcome.REFUSED;
    }
    return SigningOutcome.UNREACHABLE;
  }

  synchronized List<String> faulty() {
    Map<String, String> all = new LinkedHashMap<>(unreachable);
    all.putAll(refusals);
    all.putAll(culprits);
    return List.copyOf(all.keySet());
  }

  synchronized String detail() {
    StringBuilder out = new StringBuilder();
    culprits.forEach((n, w) -> out.append(n).append(": ").append(w).append("; "));
    refusals.forEach((n, w) -> out.append(n).append(" refused: ").append(w).append("; "));
    unreachable.forEach((n, w) -> out.append(n).append(" did not answer: ").append(w).append("; "));
    return out.length() == 0 ? "" : out.substring(0, out.length() - 2);
  }
}
