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

  /**
   * The operation's states and their transition table; the last three are terminal.
   *
   * <pre>
   * voting     → dealing (every participant voted yes) | rejected (a no) | aborted (epoch moved)
   * dealing    → committing (every participant staged its new share; the wallet moves epoch)
   *            | committed (a repair: the lost share rebuilt, nothing to commit)
   *            | aborted (dealing failed too often; staged shares discarded)
   * committing → committed (every participant committed; never backwards: the wallet moved)
   * </pre>
   */
  public enum State {
    VOTING,
    DEALING,
    COMMITTING,
    COMMITTED,
    REJECTED,
    ABORTED;

    private static final java.util.Map<State, java.util.Set<State>> SUCCESSORS =
        new java.util.EnumMap<>(State.class);

    static {
      SUCCESSORS.put(VOTING, java.util.EnumSet.of(DEALING, REJECTED, ABORTED));
      SUCCESSORS.put(DEALING, java.util.EnumSet.of(COMMITTING, COMMITTED, ABORTED));
      SUCCESSORS.put(COMMITTING, java.util.EnumSet.of(COMMITTED));
      for (State s : values()) {
        SUCCESSORS.putIfAbsent(s, java.util.EnumSet.noneOf(State.class));
      }
    }

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static State fromWireName(String name) {
      return java.util.Arrays.stream(values())
          .filter(s -> s.wireName().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("unknown key operation state " + name));
    }

    public boolean terminal() {
      return SUCCESSORS.get(this).isEmpty();
    }

    public boolean canMoveTo(State next) {
      return SUCCESSORS.get(this).contains(next);
    }

    public java.util.Set<State> successors() {
      return java.util.Collections.unmodifiableSet(SUCCESSORS.get(this));
    }

    /**
     * Checks a move against the table.
     *
     * @throws IllegalMove when the table does not allow it
     */
    public State checkMoveTo(State next) {
      if (!canMoveTo(next)) {
        throw new IllegalMove(this, next);
      }
      return next;
    }

    /**
     * The wire names of the states a runner works on (not terminal), for {@code state = ANY(?)}.
     */
    static String[] runningWireNames() {
      return java.util.Arrays.stream(values())
          .filter(s -> !s.terminal())
          .map(State::wireName)
          .toArray(String[]::new);
    }
  }

  /** A key operation state change the table does not allow; never applied. */
  public static final class IllegalMove extends IllegalStateException {
    private final State from;
    private final State to;

    IllegalMove(State from, State to) {
      super("key operation " + from.wireName() + " → " + to.wireName() + " is not allowed");
      this.from = from;
      this.to = to;
    }

    public State from() {
      return from;
    }

    public State to() {
      return to;
    }
  }

  /** One row of the operation's history. */
  public record Change(Optional<String> from, String to, Instant at, Optional<String> reason) {}
}
