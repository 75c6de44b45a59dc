package io.mpcw.orchestrator.lifecycle;

import io.mpcw.protocol.lifecycle.LifecycleVote;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One lifecycle operation of a wallet (a refresh, a repair or a reshare) and where it stands.
 *
 * @param fromEpoch the wallet's key epoch the operation starts from; a refresh commits {@code
 *     fromEpoch + 1}
 * @param votes node → its signed vote, as the node returned it
 * @param publicKeyPackage the new public key package, once every participant acknowledged it
 * @param acks node → its signed acknowledgement of {@code publicKeyPackage}
 * @param target where a reshare takes the wallet (empty for the other kinds)
 */
public record KeyOperation(
    UUID id,
    UUID walletId,
    String kind,
    State state,
    long fromEpoch,
    String subject,
    Map<String, LifecycleVote> votes,
    Optional<byte[]> publicKeyPackage,
    Map<String, String> acks,
    Optional<NewSet> target,
    int attempts,
    Optional<String> reason,
    Instant createdAt,
    Instant updatedAt) {

  public KeyOperation {
    votes = Map.copyOf(votes);
    acks = Map.copyOf(acks);
  }

  /**
   * The epoch the operation leaves the wallet in: a refresh or a reshare moves it on, a repair does
   * not.
   */
  public long toEpoch() {
    return "repair".equals(kind) ? fromEpoch : fromEpoch + 1;
  }

  /**
   * A reshare's new threshold and set (FROST identifier order), and the set it comes from.
   *
   * @param previous the wallet's participants when the reshare was asked for
   */
  public record NewSet(int threshold, List<String> participants, List<String> previous) {
    public NewSet {
      participants = List.copyOf(participants);
      previous = List.copyOf(previous);
    }

    /** Every node the commit concerns: the new set, then those only of the old one. */
    public List<String> everyone() {
      List<String> all = new java.util.ArrayList<>(participants);
      previous.stream().filter(n -> !participants.contains(n)).forEach(all::add);
      return all;
    }
  }

  /** The operation's states; the last three are terminal. */
  public enum State {
    VOTING,
    DEALING,
    COMMITTING,
    COMMITTED,
    REJECTED,
    ABORTED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static State fromWireName(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    public boolean terminal() {
      return this == COMMITTED || this == REJECTED || this == ABORTED;
    }
  }

  /** One row of the operation's history. */
  public record Change(Optional<String> from, String to, Instant at, Optional<String> reason) {}
}
