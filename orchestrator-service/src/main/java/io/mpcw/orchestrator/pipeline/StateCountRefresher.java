package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.types.transaction.TransactionState;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refreshes the per-state gauge from the database, so every replica reports the cluster's true
 * counts rather than what it happened to process.
 */
@Component
class StateCountRefresher {
  private static final Logger log = LoggerFactory.getLogger(StateCountRefresher.class);
  private final JdbcClient jdbc;
  private final OrchestrationMetrics metrics;

  StateCountRefresher(JdbcClient jdbc, OrchestrationMetrics metrics) {
    this.jdbc = jdbc;
    this.metrics = metrics;
  }

  @Scheduled(fixedDelayString = "${mpcw.metrics.state-count-interval:5s}")
  void refresh() {
    try {
      Map<TransactionState, Long> counts = new EnumMap<>(TransactionState.class);
      jdbc.sql("SELECT state, count(*) AS n FROM transactions GROUP BY state")
          .query(
              rs -> {
                TransactionState.fromWireName(rs.getString("state"))
                    .ifPresent(s -> counts.put(s, readCount(rs)));
              });
      metrics.stateCounts(counts);
    } catch (RuntimeException e) {
      log.warn("counting transactions by state failed: {}", e.toString());
    }
  }

  private static long readCount(java.sql.ResultSet rs) {
    try {
      return rs.getLong("n");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
