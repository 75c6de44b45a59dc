package io.mpcw.node.vote;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.node.NodeProperties;
import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.identity.PkiProperties;
import io.mpcw.node.journal.JournalOwnVotes;
import io.mpcw.node.journal.NodeJournal;
import io.mpcw.node.policy.PolicyProperties;
import io.mpcw.node.policy.SpendWindow;
import io.mpcw.node.policy.VotePolicy;
import io.mpcw.node.quic.VoteServerProperties;
import io.mpcw.node.share.EncryptedShareStore;
import io.mpcw.types.etcd.EtcdKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/** Wires the voting flow: policy, signer, etcd ledger and the handler the QUIC server calls. */
@Configuration(proxyBeanMethods = false)
class VoteConfiguration {

  @Bean(destroyMethod = "close")
  Client etcdClient(
      EtcdProperties etcd, EtcdTlsProperties tls, PkiProperties pki, NodeProperties node) {
    return EtcdClients.connect(etcd.endpoints(), tls.files(pki.dir(), node.nodeId()));
  }

  @Bean
  VoteLedgers voteLedgers(Client etcd, EtcdProperties properties) {
    return new VoteLedgers(
        etcd.getKVClient(),
        new EtcdKeys(properties.prefix()),
        properties.callTimeout(),
        properties.castDeadline());
  }

  @Bean
  VoteMetrics voteMetrics(MeterRegistry meters) {
    return new VoteMetrics(meters);
  }

  /**
   * Opens the node journal beside the share files at start: a node that cannot read it does not
   * start, since it would forget what it signed. Approvals (the daily window's and this node's own
   * signed votes) older than the daily window are dropped then; signed transactions are kept for
   * good. Opened here because the vote path owns both kinds of windowed entry.
   */
  @Bean(destroyMethod = "close")
  NodeJournal nodeJournal(EncryptedShareStore shares) {
    Instant windowStart = Clock.systemUTC().instant().minus(SpendWindow.WINDOW);
    return NodeJournal.open(
        shares.directory(),
        entry ->
            !(SpendWindow.owns(entry.kind()) || JournalOwnVotes.owns(entry.kind()))
                || entry.at().isAfter(windowStart));
  }

  /** This node's own signed approvals, in its journal: its approval check need not verify them. */
  @Bean(destroyMethod = "close")
  JournalOwnVotes ownVotes(NodeIdentity identity, NodeJournal journal) {
    return new JournalOwnVotes(identity.nodeId(), journal, Clock.systemUTC());
  }

  @Bean
  VoteService voteService(
      PolicyProperties policy,
      NodeIdentity identity,
      ByzantineMode mode,
      VoteMetrics metrics,
      NodeJournal journal,
      JournalOwnVotes ownVotes) {
    return new VoteService(
        new VotePolicy(policy),
        new SpendWindow(Clock.systemUTC(), journal),
        new VoteRecorder(new VoteSigner(identity), mode, ownVotes::record),
        mode,
        metrics,
        Clock.systemUTC());
  }

  @Bean(destroyMethod = "shutdown")
  ThreadPoolExecutor voteWorkers(VoteServerProperties server) {
    return new ThreadPoolExecutor(
        server.workers(),
        server.workers(),
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(server.queueCapacity()),
        new CustomizableThreadFactory("mpcw-vote-"));
  }

  @Bean
  VoteHandler voteHandler(
      VoteService votes,
      VoteLedgers ledgers,
      ByzantineMode mode,
      VoteMetrics metrics,
      ThreadPoolExecutor voteWorkers,
      io.mpcw.node.quic.VoteServerProperties server) {
    return new VoteHandler(
        votes,
        ledgers,
        mode,
        metrics,
        voteWorkers,
        Clock.systemUTC(),
        server.orchestratorIdentity());
  }
}
