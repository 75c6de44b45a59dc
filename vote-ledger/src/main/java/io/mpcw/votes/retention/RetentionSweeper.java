package io.mpcw.votes.retention;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.votes.EtcdWait;
import io.mpcw.votes.retention.EtcdRecordPruner.KeyFilter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One identity's retention: at each sweep notes etcd's current revision (see {@link
 * RevisionSamples}) and, once a cut-off exists, prunes each of its record kinds at or below it. A
 * kind that fails (etcd refused or did not answer) is counted and logged; the other kinds and the
 * next sweeps go on. Runs on a thread of its own once {@link #start started}.
 */
public final class RetentionSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  /** Records of one kind under one prefix the identity owns, and which of them may go. */
  public record Target(String kind, String prefix, KeyFilter filter) {
    public static Target all(String kind, String prefix) {
      return new Target(kind, prefix, KeyFilter.ALL);
    }
  }

  private final KV kv;
  private final EtcdRecordPruner pruner;
  private final List<Target> targets;
  private final RevisionSamples samples;
  private final Clock clock;
  private final Duration callTimeout;
  private final RetentionMetrics metrics;
  // start and close do not take the sweep's lock: close interrupts a sweep in progress
  private final Object lifecycle = new Object();
  private Optional<ScheduledExecutorService> timer = Optional.empty();

  public RetentionSweeper(
      KV kv,
      EtcdRecordPruner pruner,
      List<Target> targets,
      Duration retention,
      Clock clock,
      Duration callTimeout,
      RetentionMetrics metrics) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("nothing to sweep");
    }
    this.kv = kv;
    this.pruner = pruner;
    this.targets = List.copyOf(targets);
    this.samples = new RevisionSamples(retention);
    this.clock = clock;
    this.callTimeout = callTimeout;
    this.metrics = metrics;
    this.targets.forEach(t -> metrics.register(t.kind()));
    metrics.registerFailures(RetentionMetrics.REVISION);
  }

  /**
   * Notes the revision, then prunes every kind at or below the cut-off, if there is one yet.
   *
   * @return the cut-off used (empty: too early, or the revision could not be read)
   */
  public synchronized Optional<Long> sweep() {
    try {
      // the revision first, then the time: every write at or below it happened before that time
      long revision = currentRevision();
      samples.record(clock.instant(), revision);
    } catch (PruneException e) {
      metrics.failed(RetentionMetrics.REVISION);
      log.warn("etcd retention: cannot read etcd's revision: {}", e.getMessage());
      return Optional.empty();
    }
    Optional<Long> cutoff = samples.cutoff(clock.instant());
    cutoff.ifPresent(revision -> prune(revision));
    return cutoff;
  }

  private void prune(long cutoff) {
    metrics.cutoff(cutoff);
    for (Target target : targets) {
      try {
        long deleted = pruner.prune(target.prefix(), cutoff, target.filter());
        metrics.pruned(target.kind(), deleted);
        if (deleted > 0) {
          log.info(
              "etcd retention: {} {} records at or below revision {}",
              deleted,
              target.kind(),
              cutoff);
        }
      } catch (PruneException e) {
        metrics.pruned(target.kind(), e.deleted());
        metrics.failed(target.kind());
        log.warn("etcd retention: pruning {} failed: {}", target.kind(), e.getMessage());
      } catch (RuntimeException e) {
        // a refusal of one kind (its prefix is not ours, a filter's database is down) must not
        // stop the others or the next sweeps
        metrics.failed(target.kind());
        log.warn("etcd retention: pruning {} failed: {}", target.kind(), e.toString());
      }
    }
  }

  /** etcd's current revision: the header of a count-only read of the first prefix. */
  private long currentRevision() {
    ByteSequence key = ByteSequence.from(targets.get(0).prefix(), StandardCharsets.UTF_8);
    return EtcdWait.await(
            kv.get(key, GetOption.builder().withCountOnly(true).build()),
            callTimeout,
            PruneException::new)
        .getHeader()
        .getRevision();
  }

  /** How many (time, revision) notes are kept: to see a started sweeper at work. */
  int notes() {
    return samples.size();
  }

  /** Sweeps now and then every {@code interval}, on a daemon thread of its own. */
  public void start(Duration interval) {
    synchronized (lifecycle) {
      startTimer(interval);
    }
  }

  private void startTimer(Duration interval) {
    if (timer.isPresent()) {
      throw new IllegalStateException("already started");
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mpcw-etcd-retention");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        this::sweepQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    timer = Optional.of(executor);
  }

  // an exception escaping a scheduled task would cancel every later sweep
  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("etcd retention sweep failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      timer.ifPresent(ScheduledExecutorService::shutdownNow);
      timer = Optional.empty();
    }
  }
}
