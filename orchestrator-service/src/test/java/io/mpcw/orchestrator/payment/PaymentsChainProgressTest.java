package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.orchestrator.support.GenericPlans;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Chain progress is written when it changed, and only then: the confirmation stage and the reorg
 * watch look more often than blocks come, and a write of what the row already holds is an UPDATE (a
 * new row version) for nothing.
 */
class PaymentsChainProgressTest extends OrchestratorTestBase {
  @Autowired Payments payments;

  private UUID payment(String state, String leaseOwner) {
    UUID id =
        UUID.fromString(
            api.post(
                    "/api/v1/transactions",
                    SUBMIT_KEY,
                    "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":3000}")
                .body()
                .get("id")
                .asText());
    // no txid: the reorg watch, which runs in the background, leaves the row alone
    jdbc.sql(
            "UPDATE transactions SET state = ?, lease_owner = ?, lease_expires_at = now()"
                + " + interval '1 minute' WHERE id = ?")
        .params(state, leaseOwner, id)
        .update();
    return id;
  }

  private int confirmations(UUID id) {
    return jdbc.sql("SELECT confirmations FROM transactions WHERE id = ?")
        .param(id)
        .query(Integer.class)
        .single();
  }

  @Test
  void progressTheRowAlreadyHoldsIsNotWrittenAgainAndNewProgressIs() {
    UUID id = payment("broadcasting", "engine#1");
    payments.progress(id, "engine#1", 0, Optional.empty());
    long unchanged = rowVersion(id);

    payments.progress(id, "engine#1", 0, Optional.empty());
    assertThat(rowVersion(id)).as("0 confirmations again, no block").isEqualTo(unchanged);

    payments.progress(id, "engine#1", 0, Optional.of("block-a"));
    assertThat(rowVersion(id)).isNotEqualTo(unchanged);
    long inBlock = rowVersion(id);
    payments.progress(id, "engine#1", 0, Optional.of("block-a"));
    assertThat(rowVersion(id)).isEqualTo(inBlock);
  }

  @Test
  void progressIsNotWrittenWithoutTheLease() {
    UUID id = payment("broadcasting", "engine#1");

    payments.progress(id, "engine#2", 1, Optional.of("block-a"));

    assertThat(confirmations(id)).isZero();
  }

  @Test
  void aConfirmedPaymentSeenAtTheSameDepthIsNotWrittenAgainButDeeperOrSettledIs() {
    UUID id = payment("confirmed", null);
    payments.deepened(id, 2, Optional.of("block-a"), false);
    assertThat(confirmations(id)).isEqualTo(2);
    long seen = rowVersion(id);

    payments.deepened(id, 2, Optional.of("block-a"), false);
    assertThat(rowVersion(id)).as("same depth, same block").isEqualTo(seen);

    payments.deepened(id, 2, Optional.of("block-b"), false);
    assertThat(rowVersion(id)).as("another block at the same depth").isNotEqualTo(seen);

    payments.deepened(id, 3, Optional.of("block-b"), false);
    assertThat(confirmations(id)).isEqualTo(3);

    payments.deepened(id, 3, Optional.of("block-b"), true);
    assertThat(
            jdbc.sql("SELECT settled_at IS NOT NULL FROM transactions WHERE id = ?")
                .param(id)
                .query(Boolean.class)
                .single())
        .as("settling is written even at the same depth")
        .isTrue();
  }

  @Test
  void theUnsettledPollHasACachedPlanThatReadsNoParameter(@Autowired DataSource data) {
    // with the state bound, the poll was planned again at every call
    assertThat(GenericPlans.of(data, Payments.UNSETTLED))
        .doesNotContainPattern(GenericPlans.PARAMETER);
  }
}
