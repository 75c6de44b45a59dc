package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** Runs this replica's pipeline engine (switch off with {@code mpcw.pipeline.enabled=false}). */
@Configuration
public class PipelineConfig {

  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnProperty(
      name = "mpcw.pipeline.enabled",
      havingValue = "true",
      matchIfMissing = true)
  PipelineEngine pipelineEngine(
      List<StageHandler> handlers,
      PipelineProperties properties,
      WorkClaims claims,
      StateTransitions transitions,
      TransactionTemplate database,
      OrchestrationMetrics metrics,
      WorkSignals signals,
      NewPaymentPlaces newPayments) {
    String owner = properties.ownerId().isBlank() ? defaultOwner() : properties.ownerId();
    PipelineEngine engine =
        new PipelineEngine(
            owner, handlers, properties, claims, transitions, database, metrics, signals);
    // a stopped engine offers no place (it is not running), so it need not be taken out
    newPayments.serveFrom(engine);
    return engine;
  }

  /** Other replicas' state changes, through PostgreSQL's NOTIFY. */
  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnProperty(
      name = "mpcw.pipeline.enabled",
      havingValue = "true",
      matchIfMissing = true)
  WorkNotifications workNotifications(DataSource dataSource, WorkSignals signals) {
    return new WorkNotifications(dataSource, signals);
  }

  private static String defaultOwner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "orchestrator";
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
