package io.mpcw.launcher.chaos;

import java.util.concurrent.locks.LockSupport;

/**
 * Run in a JVM of its own by {@link ClockSkewFaultsTest}: prints its wall clock and how long a
 * 200-ms timed park really took (measured with its monotonic clock), as {@code <millis> <nanos>}.
 */
public final class ClockProbe {
  private ClockProbe() {}

  public static void main(String[] args) {
    long wall = System.currentTimeMillis();
    long started = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      LockSupport.parkNanos(50_000_000L);
    }
    System.out.println(wall + " " + (System.nanoTime() - started));
  }
}
