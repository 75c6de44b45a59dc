package io.mpcw.orchestrator.retention;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.orchestrator.config.EtcdProperties;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.retention.ElapsedClock;
import io.mpcw.votes.retention.EtcdRecordPruner;
import io.mpcw.votes.retention.RetentionMetrics;
import io.mpcw.votes.retention.RetentionSweeper;
import io.mpcw.votes.retention.RetentionSweeper.Target;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The orchestrator deletes its decision and abort records in etcd once they are older than the
 * retention period and their payment is terminal. Every replica sweeps on its own: the deletes are
 * guarded by the mod revision each one read, so replicas racing on the same key delete it once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "mpcw.etcd.retention.enabled",
    havingValue = "true",
    matchIfMissing = true)
class EtcdRetentionConfiguration {

  @Bean(destroyMethod = "close")
  RetentionSweeper orchestratorRetentionSweeper(
      Client etcd,
      EtcdProperties etcdProperties,
      RetentionProperties retention,
      JdbcClient jdbc,
      MeterRegistry meters) {
    RetentionSweeper sweeper =
        sweeper(
            etcd,
            new EtcdKeys(etcdProperties.prefix()),
            etcdProperties,
            retention,
            jdbc,
            meters,
            ElapsedClock.startingNow());
    sweeper.start(retention.sweepInterval());
    return sweeper;
  }

  /** The sweeper of both kinds, not started. */
  static RetentionSweeper sweeper(
      Client etcd,
      EtcdKeys keys,
      EtcdProperties etcdProperties,
      RetentionProperties retention,
      JdbcClient jdbc,
      MeterRegistry meters,
      Clock clock) {
    return new RetentionSweeper(
        etcd.getKVClient(),
        new EtcdRecordPruner(etcd.getKVClient(), etcdProperties.callTimeout()),
        List.of(
            new Target("decisions", keys.decisions(), new TerminalPayments(jdbc, keys.decisions())),
            new Target("aborts", keys.aborts(), new TerminalPayments(jdbc, keys.aborts()))),
        retention.retention(),
        clock,
        etcdProperties.callTimeout(),
        new RetentionMetrics(meters));
  }
}
