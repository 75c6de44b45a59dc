package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A payment's signing sessions are found through an index, whatever the table's size: the lookups
 * run on every signing step, and a sequential scan costs as many rows as payments ever signed.
 */
class SigningSessionsLookupTest extends OrchestratorTestBase {
  @Autowired TransactionTemplate transactions;

  @Test
  void theOpenSessionsOfAPaymentAreFoundThroughAnIndex() {
    assertThat(
            plan(
                "SELECT session_id FROM signing_sessions WHERE tx_id = :tx AND state = 'open'"
                    + " ORDER BY started_at"))
        .anyMatch(line -> line.contains("Index") && line.contains("signing_sessions"))
        .noneMatch(line -> line.contains("Seq Scan"));
  }

  @Test
  void theOutcomesOfAPaymentsSessionsAreFoundThroughAnIndex() {
    assertThat(plan("SELECT session_id, signer_outcomes FROM signing_sessions WHERE tx_id = :tx"))
        .anyMatch(line -> line.contains("Index") && line.contains("signing_sessions"))
        .noneMatch(line -> line.contains("Seq Scan"));
  }

  /** The plan with sequential scans priced out: only a missing index leaves one in it. */
  private List<String> plan(String query) {
    return transactions.execute(
        status -> {
          jdbc.sql("SET LOCAL enable_seqscan = off").update();
          String tx = "'" + UUID.randomUUID() + "'::uuid";
          return jdbc.sql("EXPLAIN " + query.replace(":tx", tx)).query(String.class).list();
        });
  }
}
