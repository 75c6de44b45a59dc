package io.mpcw.votes.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code etcd_records_pruned_total{kind}} (records this identity deleted), {@code
 * etcd_retention_failures_total{kind}} (sweeps of one kind that etcd refused or did not answer;
 * kind {@code revision} when even the revision could not be read) and {@code
 * etcd_retention_cutoff_revision} (the last cut-off used, 0 until the first retention period of
 * samples is complete).
 */
public final class RetentionMetrics {
  /** The failure kind of a sweep that could not read etcd's revision. */
  static final String REVISION = "revision";

  private final MeterRegistry registry;
  private final AtomicLong cutoff = new AtomicLong();
  private final Map<String, Counter> pruned = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();

  public RetentionMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("etcd.retention.cutoff.revision", cutoff, AtomicLong::get)
        .description("Revision at or below which this identity's old etcd records were pruned")
        .register(registry);
  }

  /** Registers the counters of {@code kind} at zero, so they are scraped before anything moves. */
  void register(String kind) {
    pruned(kind, 0);
    failures(kind);
  }

  /** Only the failure counter: the revision read prunes nothing. */
  void registerFailures(String kind) {
    failures(kind);
  }

  void pruned(String kind, long count) {
    pruned
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("etcd.records.pruned")
                    .description("etcd records this identity deleted after the retention period")
                    .tag("kind", k)
                    .register(registry))
        .increment(count);
  }

  void failed(String kind) {
    failures(kind).increment();
  }

  private Counter failures(String kind) {
    return failures.computeIfAbsent(
        kind,
        k ->
            Counter.builder("etcd.retention.failures")
                .description("Retention sweeps etcd refused or did not answer, by record kind")
                .tag("kind", k)
                .register(registry));
  }

  void cutoff(long revision) {
    cutoff.set(revision);
  }
}
