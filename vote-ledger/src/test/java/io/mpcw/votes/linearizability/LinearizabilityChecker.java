package io.mpcw.votes.linearizability;

import io.mpcw.votes.linearizability.History.Op;
import io.mpcw.votes.linearizability.LedgerModel.Read;
import io.mpcw.votes.linearizability.LedgerModel.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Wing–Gong search for a linearization of one transaction's history, with Porcupine's memo of
 * (linearized set, model state) pairs already found to be dead ends.
 *
 * <p>Depth-first, it picks any operation whose real-time predecessors (ops that completed before it
 * was invoked) are all linearized, applies it to the sequential model, and keeps it only if the
 * model answers exactly what the client observed. Indeterminate operations never complete, so they
 * constrain nothing after them; they may be linearized anywhere after their invocation (taking
 * their effect) or never (not taking it). The search succeeds when every determinate operation is
 * linearized. Reads that failed observed nothing and had no effect, so they are left out.
 */
final class LinearizabilityChecker {
  static final long DEFAULT_BUDGET = 2_000_000;
  private static final int MAX_OPS = 63;

  /** The result for one transaction; {@code explanation} says why it failed. */
  record Verdict(
      UUID tx,
      boolean linearizable,
      int operations,
      int indeterminate,
      long statesExplored,
      String explanation) {}

  private record Key(long done, State state) {}

  private final UUID tx;
  private final Op[] ops;
  private final long[] predecessors;
  private final long required;
  private final long budget;
  private final Set<Key> deadEnds = new HashSet<>();
  private final int[] path;
  private int[] longest = new int[0];
  private State longestState = State.EMPTY;
  private long explored;

  private LinearizabilityChecker(UUID tx, List<Op> history, long budget) {
    List<Op> kept = new ArrayList<>();
    for (Op op : history) {
      if (!op.tx().equals(tx)) {
        throw new IllegalArgumentException("op " + op.id() + " is not on " + tx);
      }
      if (!(op.call() instanceof Read) || op.outcome().determinate()) {
        kept.add(op);
      }
    }
    if (kept.size() > MAX_OPS) {
      throw new IllegalArgumentException(
          "at most " + MAX_OPS + " ops per transaction, not " + kept.size());
    }
    this.tx = tx;
    this.ops = kept.toArray(new Op[0]);
    this.budget = budget;
    this.path = new int[ops.length];
    this.predecessors = new long[ops.length];
    long mustLinearize = 0;
    for (int i = 0; i < ops.length; i++) {
      for (int j = 0; j < ops.length; j++) {
        if (ops[j].precedes(ops[i])) {
          predecessors[i] |= 1L << j;
        }
      }
      if (ops[i].outcome().determinate()) {
        mustLinearize |= 1L << i;
      }
    }
    this.required = mustLinearize;
  }

  static Verdict check(UUID tx, List<Op> history) {
    return check(tx, history, DEFAULT_BUDGET);
  }

  static Verdict check(UUID tx, List<Op> history, long budget) {
    return new LinearizabilityChecker(tx, history, budget).run();
  }

  /** Checks every transaction of a mixed history on its own. */
  static List<Verdict> checkAll(List<Op> history) {
    List<Verdict> verdicts = new ArrayList<>();
    for (Map.Entry<UUID, List<Op>> part : History.byTransaction(history).entrySet()) {
      verdicts.add(check(part.getKey(), part.getValue()));
    }
    return verdicts;
  }

  private Verdict run() {
    int indeterminate = 0;
    for (Op op : ops) {
      if (!op.outcome().determinate()) {
        indeterminate++;
      }
    }
    boolean found;
    String explanation;
    try {
      found = search(0L, State.EMPTY, 0);
      explanation = found ? "" : explainFailure();
    } catch (BudgetExhausted e) {
      found = false;
      explanation = "search budget of " + budget + " states exhausted\n" + explainFailure();
    }
    return new Verdict(tx, found, ops.length, indeterminate, explored, explanation);
  }

  private boolean search(long done, State state, int depth) {
    if ((done & required) == required) {
      return true;
    }
    if (!deadEnds.add(new Key(done, state))) {
      return false;
    }
    if (++explored > budget) {
      throw new BudgetExhausted();
    }
    for (int i = 0; i < ops.length; i++) {
      if (!candidate(done, i)) {
        continue;
      }
      Optional<State> next = LedgerModel.step(state, ops[i].call(), ops[i].outcome());
      if (next.isEmpty()) {
        continue;
      }
      path[depth] = i;
      if (depth + 1 > longest.length) {
        longest = Arrays.copyOf(path, depth + 1);
        longestState = next.get();
      }
      if (search(done | (1L << i), next.get(), depth + 1)) {
        return true;
      }
    }
    return false;
  }

  private boolean candidate(long done, int i) {
    return (done & (1L << i)) == 0 && (predecessors[i] & ~done) == 0;
  }

  private String explainFailure() {
    StringBuilder out = new StringBuilder("tx ").append(tx).append(" is not linearizable\n");
    out.append("history:\n");
    for (Op op : ops) {
      out.append("  ").append(op).append('\n');
    }
    out.append("longest consistent prefix (")
        .append(longest.length)
        .append(" of ")
        .append(ops.length)
        .append(" ops):\n");
    long done = 0;
    for (int i : longest) {
      out.append("  ").append(ops[i]).append('\n');
      done |= 1L << i;
    }
    out.append("state after it: ").append(longestState).append('\n');
    out.append("ops that could come next, and what the sequential ledger answers there:\n");
    for (int i = 0; i < ops.length; i++) {
      if (candidate(done, i)) {
        out.append("  ")
            .append(ops[i])
            .append("  (ledger: ")
            .append(LedgerModel.apply(longestState, ops[i].call()).outcome())
            .append(")\n");
      }
    }
    return out.toString();
  }

  private static final class BudgetExhausted extends RuntimeException {
    BudgetExhausted() {
      super(null, null, false, false);
    }
  }
}
