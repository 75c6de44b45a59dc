package io.mpcw.votes.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Maps "older than {@code retention}" to an etcd revision without trusting any clock but this
 * process's own: each sweep notes (its clock, etcd's current revision), and the cut-off is the
 * revision of the newest note taken at least {@code retention} ago. Every record at or below it was
 * written before that note, so at least {@code retention} ago. etcd stores no wall-clock time, and
 * a revision says nothing about time on its own.
 *
 * <p>The notes live in memory only: a process that starts has none, and prunes nothing until it has
 * noted for one whole retention period. That delays pruning after every restart but can never prune
 * early. Notes older than the cut-off's are dropped, so at most {@code retention / sweep interval +
 * 1} are kept. The services note with an {@link ElapsedClock}, which no setting of the system clock
 * moves; a note whose time is before the newest one's is ignored all the same, and a revision below
 * the newest one's (etcd restored from an older backup) drops every note: neither can then be
 * mapped to time safely.
 */
public final class RevisionSamples {
  private record Sample(Instant at, long revision) {}

  private final Duration retention;
  private final Deque<Sample> samples = new ArrayDeque<>();

  public RevisionSamples(Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, not " + retention);
    }
    this.retention = retention;
  }

  /** etcd was at {@code revision} at {@code at} (this process's clock). */
  public synchronized void record(Instant at, long revision) {
    Sample newest = samples.peekLast();
    if (newest != null) {
      if (revision < newest.revision()) {
        samples.clear();
      } else if (at.isBefore(newest.at())) {
        return;
      }
    }
    samples.addLast(new Sample(at, revision));
  }

  /**
   * The newest revision noted at least {@code retention} before {@code now}; empty until the first
   * note is that old.
   */
  public synchronized Optional<Long> cutoff(Instant now) {
    Instant limit = now.minus(retention);
    Sample chosen = null;
    while (!samples.isEmpty() && !samples.peekFirst().at().isAfter(limit)) {
      chosen = samples.pollFirst();
    }
    if (chosen == null) {
      return Optional.empty();
    }
    // the cut-off's own note stays: it is the answer until a newer one is old enough
    samples.addFirst(chosen);
    return Optional.of(chosen.revision());
  }

  /** How many notes are kept (bounded by retention over the sweep interval). */
  public synchronized int size() {
    return samples.size();
  }
}
