package io.mpcw.node.journal;

import io.mpcw.node.policy.SpendWindow;
import io.mpcw.node.share.EncryptedShareStore;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens the node journal beside the share files at start: a node that cannot read it does not
 * start, since it would forget what it signed. Approvals (the daily window's and this node's own
 * signed votes) older than the daily window are dropped then; signed transactions are kept for
 * good.
 */
@Configuration(proxyBeanMethods = false)
class JournalConfiguration {

  @Bean(destroyMethod = "close")
  NodeJournal nodeJournal(EncryptedShareStore shares) {
    Instant windowStart = Clock.systemUTC().instant().minus(SpendWindow.WINDOW);
    return NodeJournal.open(
        shares.directory(),
        entry ->
            !(SpendWindow.owns(entry.kind()) || JournalOwnVotes.owns(entry.kind()))
                || entry.at().isAfter(windowStart));
  }

  @Bean
  JournalSigningRecord signingRecord(NodeJournal journal) {
    return new JournalSigningRecord(journal, Clock.systemUTC());
  }
}
