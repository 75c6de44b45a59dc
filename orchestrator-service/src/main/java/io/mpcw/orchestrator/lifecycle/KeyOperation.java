package io.mpcw.orchestrator.lifecycle;

import io.mpcw.protocol.lifecycle.LifecycleVote;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One lifecycle operation of a wallet (a refresh) and where it stands.
 *
 * @param fromEpoch the wallet's key epoch the operation starts from; a refresh commits {@code
 *     fromEpoch + 1}
 * @param votes node → its signed vote, as the node returned it
 * @param publicKeyPackage the new public key package, once every participant acknowledged it
 * @param acks node → its signed acknowledgement of {@code publicKeyPackage}
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
    int attempts,
    Optional<String> reason,
    Instant createdAt,
    Instant updatedAt) {

  public KeyOperation {
    votes = Map.copyOf(votes);
    acks = Map.copyOf(acks);
  }

  /** The operation's states; the last three are terminal. */
  /** The epoch the operation leaves the wallet in: a refresh moves it on, a repair does not. */
  public long toEpoch() {
    return "refresh".equals(kind) ? fromEpoch + 1 : fromEpoch;
  }

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
