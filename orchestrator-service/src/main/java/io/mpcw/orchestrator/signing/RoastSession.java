package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.SigningPackage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One session a {@link RoastRun} started, and what each of its signers did. */
final class RoastSession {
  final SigningSession record;
  final List<SigningPackage> packages;
  final SigningRound round = new SigningRound();
  final Map<String, String> outcomes = new LinkedHashMap<>();
  final Set<String> valid = new HashSet<>();
  private final Set<String> queued = new HashSet<>();
  private final Map<String, Departure> departures = new HashMap<>();
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

  /** The node's request waits behind its node's exchange in flight until {@link #departed}. */
  void queued(String node) {
    queued.add(node);
  }

  /** When a signer's request left the orchestrator, and how many its exchange carried. */
  private record Departure(Instant at, int batch) {}

  /** The node's request left the orchestrator at {@code at}, in an exchange of {@code batch}. */
  void departed(String node, Instant at, int batch) {
    queued.remove(node);
    departures.put(node, new Departure(at, Math.max(1, batch)));
  }

  /**
   * The node's request's departure; the session's start, alone, for one not known to have waited.
   */
  private Departure departure(String node) {
    return departures.getOrDefault(node, new Departure(record.startedAt(), 1));
  }

  /**
   * When the signers still owing an answer become stragglers: each {@code grace} after its request
   * left the orchestrator, times the number of sessions its exchange carried (a node answers a
   * batch once it has served all of it), the latest of them; the session's start counts as the
   * departure of a request not known to have waited. Empty while a request still waits to leave: a
   * signer the orchestrator has not asked yet is no straggler.
   */
  Optional<Instant> stragglersFrom(Duration grace) {
    Instant last = record.startedAt();
    for (String node : record.signers()) {
      if (owes(node)) {
        if (queued.contains(node)) {
          return Optional.empty();
        }
        Departure left = departure(node);
        Instant end = left.at().plus(grace.multipliedBy(left.batch()));
        if (end.isAfter(last)) {
          last = end;
        }
      }
    }
    return Optional.of(last);
  }

  /** A valid answer at {@code at}: its round trip counts from when its request left. */
  void validShare(String node, Instant at) {
    valid.add(node);
    Duration took = Duration.between(departure(node).at(), at);
    if (took.compareTo(slowestValid) > 0) {
      slowestValid = took;
    }
  }

  /** The slowest valid answer's round trip, from its request's departure (zero before any). */
  Duration slowestValid() {
    return slowestValid;
  }

  boolean complete() {
    return valid.size() == record.signers().size();
  }
}
