package io.mpcw.orchestrator.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A lifecycle operation as the API shows it: its state, each participant's vote with its reason,
 * and its history.
 *
 * @param participant the participant a repair rebuilds the share of; null for a refresh
 * @param toEpoch the epoch the wallet is in once the operation commits (a repair keeps it)
 * @param threshold a reshare's new threshold; null for the other kinds
 * @param participants a reshare's new participants, in FROST identifier order; null otherwise
 */
public record KeyOperationView(
    UUID id,
    UUID walletId,
    String kind,
    String participant,
    String state,
    long fromEpoch,
    long toEpoch,
    Integer threshold,
    List<String> participants,
    Map<String, Vote> votes,
    String reason,
    Instant createdAt,
    Instant updatedAt,
    List<Change> history) {

  /** One participant's decision and why. */
  public record Vote(String decision, String reason) {}

  /** One state change. */
  public record Change(String from, String to, Instant at, String reason) {}

  public static KeyOperationView of(KeyOperation op, List<KeyOperation.Change> history) {
    Map<String, Vote> votes = new TreeMap<>();
    op.votes().forEach((node, v) -> votes.put(node, new Vote(v.decision(), v.reason())));
    return new KeyOperationView(
        op.id(),
        op.walletId(),
        op.kind(),
        "repair".equals(op.kind()) ? op.subject() : null,
        op.state().wireName(),
        op.fromEpoch(),
        op.toEpoch(),
        op.target().map(KeyOperation.NewSet::threshold).orElse(null),
        op.target().map(KeyOperation.NewSet::participants).orElse(null),
        votes,
        op.reason().orElse(null),
        op.createdAt(),
        op.updatedAt(),
        history.stream()
            .map(c -> new Change(c.from().orElse(null), c.to(), c.at(), c.reason().orElse(null)))
            .toList());
  }

  /** Without the history: the wallet view's list of recent operations. */
  public KeyOperationView summary() {
    return new KeyOperationView(
        id,
        walletId,
        kind,
        participant,
        state,
        fromEpoch,
        toEpoch,
        threshold,
        participants,
        votes,
        reason,
        createdAt,
        updatedAt,
        null);
  }
}
