package io.mpcw.node.journal;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The signing record in the node journal. The journal itself is opened by the vote wiring, which
 * knows which of its entries only matter inside the daily spend window.
 */
@Configuration(proxyBeanMethods = false)
class JournalConfiguration {

  @Bean
  JournalSigningRecord signingRecord(NodeJournal journal) {
    return new JournalSigningRecord(journal, Clock.systemUTC());
  }
}
