package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.SigningPackage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One session a {@link RoastRun} started, and what each of its signers did. */
final class RoastSession {
  final SigningSession record;
  final List<SigningPackage> packages;
  final SigningRound round = new SigningRound();
  final Map<String, String> outcomes = new LinkedHashMap<>();
  final Set<String> valid = new HashSet<>();
  private Duration slowestValid = Duration.ZERO;
  boolean settled;

  RoastSession(SigningSession record, List<SigningPackage> packages) {
    this.record = record;
    this.packages = packages;
  }

  /** Some signer has not answered yet. */
  boolean waiting() {
    return outcomes.size() < record.signers().size();
  }

  /** Every answer so far was a valid share: the session can still complete. */
  boolean canComplete() {
    return !settled && waiting() && valid.size() == outcomes.size();
  }

  /** The node still owes an answer in a session not settled yet. */
  boolean owes(String node) {
    return !settled && record.signers().contains(node) && !outcomes.containsKey(node);
  }

  void validShare(String node, Instant at) {
    valid.add(node);
    Duration took = Duration.between(record.startedAt(), at);
    if (took.compareTo(slowestValid) > 0) {
      slowestValid = took;
    }
  }

  /** How long the slowest valid answer took after the session started (zero before any). */
  Duration slowestValid() {
    return slowestValid;
  }

  boolean complete() {
    return valid.size() == record.signers().size();
  }
}
