package io.mpcw.orchestrator.signing;

import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Records the commitments that signers' replies carry as seen ({@link SeenCommitments}), the
 * sightings of every caller that came while the previous write was in progress in one statement:
 * each round-2 reply carries its signer's fresh commitments, so under load a payment would
 * otherwise make one autocommitted INSERT (a WAL flush) per signer. A caller waits for its own
 * answer, exactly as for a statement of its own; an idle writer takes a caller's sightings at once.
 */
@Component
class SightingWriter {
  /** Rows one write takes from the queue, unless a single caller brings more. */
  static final int MAX_ROWS = 512;

  private record Waiting(
      List<SeenCommitments.Sighting> sightings, CompletableFuture<List<Boolean>> result) {}

  private final SeenCommitments seen;
  private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean stopped;

  SightingWriter(SeenCommitments seen) {
    this.seen = seen;
    this.writer = new Thread(this::run, "seen-commitments");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Per sighting in order, whether it is the first sight of its commitment for its wallet.
   *
   * @throws RuntimeException what the database threw, as a statement of the caller's own would
   */
  List<Boolean> firstSights(List<SeenCommitments.Sighting> sightings) {
    if (sightings.isEmpty()) {
      return List.of();
    }
    Waiting waiting = new Waiting(List.copyOf(sightings), new CompletableFuture<>());
    queue.add(waiting);
    if (stopped) {
      waiting.result().completeExceptionally(new IllegalStateException("shutting down"));
    }
    try {
      return waiting.result().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Callers waiting for the writer (tests). */
  int queued() {
    return queue.size();
  }

  private void run() {
    while (!stopped) {
      Waiting first;
      try {
        first = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first != null) {
        write(group(first));
      }
    }
    failWaiting();
  }

  /** {@code first} and whatever waited behind it, up to {@link #MAX_ROWS} rows. */
  private List<Waiting> group(Waiting first) {
    List<Waiting> group = new ArrayList<>(List.of(first));
    int rows = first.sightings().size();
    Waiting next;
    while ((next = queue.peek()) != null && rows + next.sightings().size() <= MAX_ROWS) {
      group.add(queue.poll());
      rows += next.sightings().size();
    }
    return group;
  }

  private void write(List<Waiting> group) {
    List<SeenCommitments.Sighting> all = new ArrayList<>();
    group.forEach(w -> all.addAll(w.sightings()));
    try {
      List<Boolean> first = seen.firstSights(all);
      int at = 0;
      for (Waiting w : group) {
        int size = w.sightings().size();
        w.result().complete(List.copyOf(first.subList(at, at + size)));
        at += size;
      }
    } catch (RuntimeException e) {
      group.forEach(w -> w.result().completeExceptionally(e));
    }
  }

  private void failWaiting() {
    Waiting w;
    while ((w = queue.poll()) != null) {
      w.result().completeExceptionally(new IllegalStateException("shutting down"));
    }
  }

  @PreDestroy
  void stop() {
    stopped = true;
    writer.interrupt();
    failWaiting();
  }
}
