package io.mpcw.chain.simulator;

import io.mpcw.chain.simulator.ledger.Ledger;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mines a block every interval, empty or not: confirmations keep growing even when nobody
 * transacts, as on a real chain, so a client waiting for N confirmations is not stuck.
 */
final class BlockTimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlockTimer.class);

  private final ScheduledExecutorService scheduler;

  BlockTimer(Ledger ledger, Duration interval) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chain-miner");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(() -> mine(ledger), millis, millis, TimeUnit.MILLISECONDS);
  }

  private static void mine(Ledger ledger) {
    try {
      ledger.mineBlock();
    } catch (RuntimeException e) {
      // An exception would cancel the schedule: log it (e.g. a full disk) and try next time.
      log.error("mining a block failed", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
