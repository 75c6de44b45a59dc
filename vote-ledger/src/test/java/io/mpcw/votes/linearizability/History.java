package io.mpcw.votes.linearizability;

import io.mpcw.votes.linearizability.LedgerModel.Call;
import io.mpcw.votes.linearizability.LedgerModel.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A concurrent history: every operation with the client that issued it, when it was invoked, when
 * it completed and what it returned. Times are nanoseconds on one monotonic clock. An operation
 * that failed or timed out never completed as far as ordering goes: its effect may land any time
 * after its invocation.
 */
final class History {
  /** Completion time of an indeterminate operation. */
  static final long NEVER = Long.MAX_VALUE;

  /** One operation. */
  record Op(int id, UUID tx, int client, Call call, Outcome outcome, long invoked, long completed) {
    Op {
      if (completed < invoked) {
        throw new IllegalArgumentException("op " + id + " completed before it was invoked");
      }
      if (!outcome.determinate() && completed != NEVER) {
        throw new IllegalArgumentException("indeterminate op " + id + " must have completed=NEVER");
      }
    }

    /** Real-time order: this one returned before {@code other} was invoked. */
    boolean precedes(Op other) {
      return completed < other.invoked;
    }

    @Override
    public String toString() {
      return "#"
          + id
          + " c"
          + client
          + " ["
          + millis(invoked)
          + ", "
          + (completed == NEVER ? "∞" : millis(completed))
          + "] "
          + call
          + " → "
          + outcome;
    }

    private static String millis(long nanos) {
      return String.format("%.3fms", nanos / 1e6);
    }
  }

  /** An invoked operation whose outcome is not known yet. */
  record Pending(int id, UUID tx, int client, Call call, long invoked) {}

  private final long origin = System.nanoTime();
  private final AtomicInteger ids = new AtomicInteger();
  private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();

  Pending invoke(UUID tx, int client, Call call) {
    return new Pending(ids.incrementAndGet(), tx, client, call, now());
  }

  void complete(Pending pending, Outcome outcome) {
    long completed = outcome.determinate() ? now() : NEVER;
    ops.add(
        new Op(
            pending.id(),
            pending.tx(),
            pending.client(),
            pending.call(),
            outcome,
            pending.invoked(),
            completed));
  }

  long now() {
    return System.nanoTime() - origin;
  }

  List<Op> ops() {
    List<Op> all = new ArrayList<>(ops);
    all.sort(Comparator.comparingLong(Op::invoked).thenComparingInt(Op::id));
    return all;
  }

  /** The history split per transaction (P-compositionality: each part is checked alone). */
  static Map<UUID, List<Op>> byTransaction(List<Op> ops) {
    Map<UUID, List<Op>> parts = new LinkedHashMap<>();
    for (Op op : ops) {
      parts.computeIfAbsent(op.tx(), k -> new ArrayList<>()).add(op);
    }
    return parts;
  }
}
