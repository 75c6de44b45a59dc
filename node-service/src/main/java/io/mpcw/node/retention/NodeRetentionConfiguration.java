package io.mpcw.node.retention;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.vote.EtcdProperties;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.retention.ElapsedClock;
import io.mpcw.votes.retention.EtcdRecordPruner;
import io.mpcw.votes.retention.RetentionMetrics;
import io.mpcw.votes.retention.RetentionSweeper;
import io.mpcw.votes.retention.RetentionSweeper.Target;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This node deletes its own etcd records once they are older than the retention period: its votes,
 * its signing locks and its share records, each kind under its own prefix. etcd lets it delete
 * nothing else. What still binds the node to the one transaction it signed for a payment once these
 * are gone is its journal ({@code JournalSigningRecord}), checked before the etcd lock.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "mpcw.etcd.retention.enabled",
    havingValue = "true",
    matchIfMissing = true)
class NodeRetentionConfiguration {

  @Bean(destroyMethod = "close")
  RetentionSweeper nodeRetentionSweeper(
      Client etcd,
      EtcdProperties etcdProperties,
      RetentionProperties retention,
      NodeIdentity identity,
      MeterRegistry meters) {
    EtcdKeys keys = new EtcdKeys(etcdProperties.prefix());
    String node = identity.nodeId();
    RetentionSweeper sweeper =
        new RetentionSweeper(
            etcd.getKVClient(),
            new EtcdRecordPruner(etcd.getKVClient(), etcdProperties.callTimeout()),
            List.of(
                Target.all("votes", keys.nodeVotes(node)),
                Target.all("locks", keys.nodeLocks(node)),
                Target.all("shares", keys.nodeShares(node))),
            retention.retention(),
            ElapsedClock.startingNow(),
            etcdProperties.callTimeout(),
            new RetentionMetrics(meters));
    sweeper.start(retention.sweepInterval());
    return sweeper;
  }
}
