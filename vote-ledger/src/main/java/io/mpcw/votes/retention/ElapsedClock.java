package io.mpcw.votes.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time as this process has seen it pass ({@link System#nanoTime}), from the wall clock's reading at
 * start: setting the system clock, or NTP stepping it, moves neither the revision notes nor the
 * retention. The notes live only as long as the process, so its own elapsed time is all they need.
 */
public final class ElapsedClock extends Clock {
  private final Instant start;
  private final long startNanos;

  private ElapsedClock(Instant start, long startNanos) {
    this.start = start;
    this.startNanos = startNanos;
  }

  public static ElapsedClock startingNow() {
    return new ElapsedClock(Instant.now(), System.nanoTime());
  }

  @Override
  public Instant instant() {
    return start.plusNanos(System.nanoTime() - startNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }
}
