package io.mpcw.node.signing;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.crypto.address.Network;
import io.mpcw.node.NodeProperties;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.journal.JournalOwnVotes;
import io.mpcw.node.journal.JournalSigningRecord;
import io.mpcw.node.policy.PolicyProperties;
import io.mpcw.node.quic.VoteServerProperties;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.node.vote.EtcdProperties;
import io.mpcw.protocol.signing.ApprovalQuorum;
import io.mpcw.protocol.signing.EtcdRoundTwo;
import io.mpcw.protocol.signing.SigningParticipant;
import io.mpcw.protocol.signing.SpendLimits;
import io.mpcw.types.etcd.EtcdKeys;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This node's side of FROST signing: it signs only what a quorum of cluster nodes approved in etcd
 * (its own check, never the orchestrator's word), only one transaction per payment (its own journal
 * first, then the lock in etcd), within its fee limit, and records its shares in etcd, signed with
 * its identity key, before replying (refused once the session was aborted). Round 2 reads the votes
 * and the locks in one etcd transaction and writes its lock and share record in another.
 */
@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

  @Bean
  SigningParticipant signingParticipant(
      NodeProperties node,
      NodeIdentity identity,
      EncryptedShareStore store,
      Client etcd,
      EtcdProperties etcdProperties,
      PeerCertificates peers,
      PolicyProperties policy,
      SigningProperties properties,
      ByzantineMode mode,
      JournalSigningRecord signed,
      JournalOwnVotes ownVotes,
      VoteServerProperties server,
      ClusterMembership membership,
      MeterRegistry meters) {
    EtcdKeys keys = new EtcdKeys(etcdProperties.prefix());
    // round 2's approval, lock and share record in two etcd round trips: one read, one write
    EtcdRoundTwo roundTwo =
        new EtcdRoundTwo(
            etcd.getKVClient(),
            keys,
            etcdProperties.callTimeout(),
            new ApprovalQuorum(
                properties.minApprovals(),
                peers,
                identity.clusterCa(),
                server.nodeIdentities(),
                ownVotes),
            identity.credentials(),
            // the quorum is of the cluster's nodes: after a reshare the wallet may have fewer
            () -> membership.members().keySet());
    FunctionCounter.builder("node.signing.share.writes", roundTwo, EtcdRoundTwo::shareWrites)
        .description("Round-2 share records written to etcd: the first transaction of each")
        .register(meters);
    FunctionCounter.builder(
            "node.signing.share.writes.again", roundTwo, EtcdRoundTwo::shareWritesAgain)
        .description(
            "Share writes tried again because another signer of the payment wrote its lock"
                + " between this node's read and its write")
        .register(meters);
    SigningParticipant participant =
        new SigningParticipant(
            node.nodeId(),
            store,
            roundTwo,
            signed,
            new SpendLimits(policy.maxFeeSats()),
            Network.parse(policy.network()),
            new SecureRandom(),
            Clock.systemUTC(),
            properties.sessionTtl(),
            properties.commitmentTtl(),
            properties.pooledCommitments());
    participant.setShareCorruption(mode == ByzantineMode.BAD_SHARE);
    return participant;
  }
}
