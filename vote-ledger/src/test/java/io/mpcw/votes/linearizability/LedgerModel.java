package io.mpcw.votes.linearizability;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sequential specification of the ledger's keys of ONE transaction: what {@code cast}, {@code
 * decide} and {@code snapshot} return, and how they change the state, when operations run one at a
 * time. Keys of different transactions never interact, so a history is checked per transaction.
 */
final class LedgerModel {
  private LedgerModel() {}

  /** A vote record as the model sees it: its digest and an identity (the record's signature). */
  record Vote(String digest, String id) {}

  /**
   * Votes by node and the decision if any. There are no counters: counts are a function of the
   * votes, so a history that is linearizable for the votes is for the counts too.
   */
  record State(Map<String, Vote> votes, Optional<String> decision) {
    static final State EMPTY = new State(Map.of(), Optional.empty());

    State {
      votes = Map.copyOf(votes);
    }

    @Override
    public String toString() {
      return "{votes=" + new TreeMap<>(votes) + ", decision=" + decision.orElse("-") + "}";
    }
  }

  /** What a client asked. */
  sealed interface Call {}

  /** {@code cast} of node's vote {@code recordId} for {@code digest}. */
  record Cast(String node, String digest, String recordId) implements Call {}

  /** {@code decide(tx, decision)}; decision strings are unique per call, so "won" is visible. */
  record Decide(String decision) implements Call {}

  /** {@code snapshot(tx)}. */
  record Read() implements Call {}

  /** What the client was told. */
  sealed interface Outcome {
    default boolean determinate() {
      return !(this instanceof Indeterminate);
    }
  }

  record Counted() implements Outcome {}

  record Duplicate(String existingRecordId) implements Outcome {}

  record Late() implements Outcome {}

  /** The decision that stands after {@code decide}: the caller's own (won) or an earlier one. */
  record Stands(String decision) implements Outcome {}

  record Observed(State state) implements Outcome {}

  /** Error or timeout: the operation may or may not have taken effect, now or later. */
  record Indeterminate(String why) implements Outcome {}

  /** The outcome and next state of {@code call} applied to {@code state} alone. */
  record Step(Outcome outcome, State next) {}

  static Step apply(State state, Call call) {
    if (call instanceof Cast cast) {
      Vote existing = state.votes().get(cast.node());
      if (existing != null) {
        return new Step(new Duplicate(existing.id()), state);
      }
      if (state.decision().isPresent()) {
        return new Step(new Late(), state);
      }
      Map<String, Vote> votes = new TreeMap<>(state.votes());
      votes.put(cast.node(), new Vote(cast.digest(), cast.recordId()));
      return new Step(new Counted(), new State(votes, state.decision()));
    }
    if (call instanceof Decide decide) {
      if (state.decision().isPresent()) {
        return new Step(new Stands(state.decision().get()), state);
      }
      return new Step(
          new Stands(decide.decision()), new State(state.votes(), Optional.of(decide.decision())));
    }
    return new Step(new Observed(state), state);
  }

  /**
   * The state after {@code call} if {@code observed} is what the sequential ledger could have
   * answered in {@code state}; an indeterminate outcome admits the call's effect (whichever branch
   * the specification takes).
   */
  static Optional<State> step(State state, Call call, Outcome observed) {
    Step step = apply(state, call);
    if (!observed.determinate() || step.outcome().equals(observed)) {
      return Optional.of(step.next());
    }
    return Optional.empty();
  }
}
