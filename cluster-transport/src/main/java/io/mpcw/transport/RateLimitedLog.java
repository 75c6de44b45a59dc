package io.mpcw.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Writes at most {@code linesPerWindow} lines of one kind per window and counts the rest in {@code
 * log_lines_suppressed_total{category}}: lines a peer can cause at will (a malformed request, a
 * refused handshake) must not let it fill the disk or bury the lines that matter. The first line of
 * a window says how many were suppressed in the one before.
 */
public final class RateLimitedLog {

  /** Enough to see what a peer does, few enough that a flood stays a few lines a minute. */
  public static final int DEFAULT_LINES_PER_MINUTE = 10;

  private final Logger log;
  private final int linesPerWindow;
  private final long windowNanos;
  private final Counter suppressed;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int written;
  private long suppressedInWindow;

  public RateLimitedLog(
      Logger log,
      String category,
      int linesPerWindow,
      Duration window,
      MeterRegistry registry,
      LongSupplier nanoTime) {
    if (linesPerWindow < 1) {
      throw new IllegalArgumentException("linesPerWindow must be positive");
    }
    this.log = log;
    this.linesPerWindow = linesPerWindow;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
    this.suppressed =
        Counter.builder("log_lines_suppressed_total")
            .description("Log lines not written because their kind exceeded its rate limit")
            .tag("category", category)
            .register(registry);
  }

  /** {@value #DEFAULT_LINES_PER_MINUTE} lines a minute. */
  public static RateLimitedLog perMinute(Logger log, String category, MeterRegistry registry) {
    return new RateLimitedLog(
        log, category, DEFAULT_LINES_PER_MINUTE, Duration.ofMinutes(1), registry, System::nanoTime);
  }

  public void info(String format, Object... args) {
    admitted().ifPresent(note -> log.info(format + note, args));
  }

  public void warn(String format, Object... args) {
    admitted().ifPresent(note -> log.warn(format + note, args));
  }

  /** Empty when the line is suppressed; else a suffix naming what the last window suppressed. */
  private synchronized Optional<String> admitted() {
    long now = nanoTime.getAsLong();
    String note = "";
    if (now - windowStart >= windowNanos) {
      if (suppressedInWindow > 0) {
        note = " (" + suppressedInWindow + " similar lines suppressed before this one)";
      }
      windowStart = now;
      written = 0;
      suppressedInWindow = 0;
    }
    if (written >= linesPerWindow) {
      suppressedInWindow++;
      suppressed.increment();
      return Optional.empty();
    }
    written++;
    return Optional.of(note);
  }
}
