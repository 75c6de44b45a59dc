package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.transaction.StateLiterals;
import io.mpcw.types.transaction.TransactionState;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refreshes the per-state gauge from the database, so every replica reports the cluster's true
 * counts rather than what it happened to process. The states payments pass through are counted
 * often ({@code mpcw.metrics.state-count-interval}): there are only as many of them as the cluster
 * carries, read through the state's index. The terminal states, where every payment ends and stays
 * for good, are counted seldom ({@code mpcw.metrics.terminal-state-count-interval}): a count of
 * them reads every payment the desk ever made, which grows without bound (counting every state
 * every 5 s took 7–20 ms of PostgreSQL's time per count at 17,000 payments, seconds at millions).
 *
 * <p>The counts run on a thread of their own, not on Spring's scheduler: that is one thread shared
 * by every {@code @Scheduled} task, the chain follower and the reorg watch among them, and a count
 * of millions of payments would hold them back for its seconds once a minute.
 */
@Component
class StateCountRefresher implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(StateCountRefresher.class);
  static final String THREAD_NAME = "state-count";

  static final Set<TransactionState> IN_FLIGHT =
      Arrays.stream(TransactionState.values())
          .filter(s -> !s.isTerminal())
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(TransactionState.class)));

  /** The states written into the statement, so its plan reads them through the index. */
  static final String IN_FLIGHT_SQL =
      "SELECT state, count(*) AS n FROM transactions WHERE state IN ("
          + StateLiterals.list(
              IN_FLIGHT.stream().map(TransactionState::wireName).toArray(String[]::new))
          + ") GROUP BY state";

  static final String ALL_SQL = "SELECT state, count(*) AS n FROM transactions GROUP BY state";

  /** Counts the payments in each state a statement returns. */
  @FunctionalInterface
  interface Counter {
    Map<TransactionState, Long> count(String sql);
  }

  private final Counter counter;
  private final OrchestrationMetrics metrics;
  private final StateCountProperties properties;
  private ScheduledExecutorService thread;

  @Autowired
  StateCountRefresher(
      JdbcClient jdbc, OrchestrationMetrics metrics, StateCountProperties properties) {
    this((Counter) sql -> countWith(jdbc, sql), metrics, properties);
  }

  StateCountRefresher(
      Counter counter, OrchestrationMetrics metrics, StateCountProperties properties) {
    this.counter = counter;
    this.metrics = metrics;
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread = Executors.newSingleThreadScheduledExecutor(StageWorkers.daemon(THREAD_NAME));
    long inFlight = properties.stateCountInterval().toMillis();
    long all = properties.terminalStateCountInterval().toMillis();
    thread.scheduleWithFixedDelay(this::refreshInFlight, 0, inFlight, TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(this::refreshAll, 0, all, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return thread != null;
  }

  void refreshInFlight() {
    refresh(IN_FLIGHT_SQL, IN_FLIGHT);
  }

  void refreshAll() {
    refresh(ALL_SQL, EnumSet.allOf(TransactionState.class));
  }

  private void refresh(String sql, Set<TransactionState> counted) {
    try {
      metrics.stateCounts(counter.count(sql), counted);
    } catch (RuntimeException e) {
      log.warn("counting transactions by state failed: {}", e.toString());
    }
  }

  private static Map<TransactionState, Long> countWith(JdbcClient jdbc, String sql) {
    Map<TransactionState, Long> counts = new EnumMap<>(TransactionState.class);
    jdbc.sql(sql)
        .query(
            rs -> {
              long n = rs.getLong("n");
              TransactionState.fromWireName(rs.getString("state")).ifPresent(s -> counts.put(s, n));
            });
    return counts;
  }
}
