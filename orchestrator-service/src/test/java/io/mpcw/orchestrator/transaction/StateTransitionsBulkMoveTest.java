package io.mpcw.orchestrator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.types.transaction.TransactionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A bulk move ({@link StateTransitions#applyToAll}) moves in one statement every row its selection
 * matches that no engine holds, with a history row each, and writes nothing it may not.
 */
class StateTransitionsBulkMoveTest extends OrchestratorTestBase {
  @Autowired StateTransitions transitions;
  @Autowired TransactionTemplate database;

  /** Payments stored in {@code pending} (no engine runs here), put in {@code state}. */
  private List<UUID> payments(int count, String state) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var created =
          api.post(
              "/api/v1/transactions",
              SUBMIT_KEY,
              "{\"recipient\":\"" + ADDRESS + "\",\"amount_sats\":" + (5000 + i) + "}");
      assertThat(created.status()).isEqualTo(201);
      UUID id = UUID.fromString(created.body().get("id").asText());
      jdbc.sql("UPDATE transactions SET state = ? WHERE id = ?").params(state, id).update();
      ids.add(id);
    }
    return ids;
  }

  private List<UUID> moveAll(
      TransactionState from, TransactionState to, List<UUID> among, RowChange row) {
    return database.execute(
        status ->
            transitions.applyToAll(
                from,
                to,
                new StateTransitions.Selection(
                    "id = ANY(:among)",
                    "'moved with ' || amount_sats || ' sats'",
                    Map.of("among", among.toArray(UUID[]::new))),
                "test",
                row,
                100,
                (rs, n) -> rs.getObject("id", UUID.class)));
  }

  private long version(UUID id) {
    return jdbc.sql("SELECT version FROM transactions WHERE id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  private List<String> moves(UUID id) {
    return jdbc.sql(
            "SELECT from_state || ' → ' || to_state || ': ' || reason || ' by ' || actor"
                + " FROM transaction_history WHERE tx_id = ? AND from_state IS NOT NULL"
                + " ORDER BY id")
        .param(id)
        .query(String.class)
        .list();
  }

  @Test
  void everyMatchingRowNoEngineHoldsMovesWithItsOwnHistoryRowAndColumns() {
    List<UUID> ids = payments(4, "broadcasting");
    UUID held = ids.get(0);
    UUID leaseRanOut = ids.get(1);
    jdbc.sql(
            "UPDATE transactions SET lease_owner = 'engine#1', lease_expires_at = now() +"
                + " interval '1 hour' WHERE id = ?")
        .param(held)
        .update();
    jdbc.sql(
            "UPDATE transactions SET lease_owner = 'gone#1', lease_expires_at = now() -"
                + " interval '1 second' WHERE id = ?")
        .param(leaseRanOut)
        .update();
    long versionBefore = version(ids.get(2));
    UUID notSelected = payments(1, "broadcasting").get(0);

    List<UUID> moved =
        moveAll(
            TransactionState.BROADCASTING,
            TransactionState.CONFIRMED,
            ids,
            new RowChange().setTo("confirmations", "amount_sats - 4990"));

    assertThat(moved).containsExactlyInAnyOrder(ids.get(1), ids.get(2), ids.get(3));
    assertThat(state(held)).isEqualTo("broadcasting");
    assertThat(moves(held)).isEmpty();
    assertThat(state(notSelected)).isEqualTo("broadcasting");
    for (int i = 1; i < 4; i++) {
      UUID id = ids.get(i);
      assertThat(state(id)).isEqualTo("confirmed");
      assertThat(moves(id))
          .containsExactly("broadcasting → confirmed: moved with " + (5000 + i) + " sats by test");
      assertThat(
              jdbc.sql(
                      "SELECT confirmations = ? AND lease_owner IS NULL AND state_reason = ?"
                          + " FROM transactions WHERE id = ?")
                  .params(10 + i, "moved with " + (5000 + i) + " sats", id)
                  .query(Boolean.class)
                  .single())
          .isTrue();
    }
    assertThat(version(ids.get(2))).isEqualTo(versionBefore + 1);
  }

  @Test
  void aBulkMoveTheTableForbidsIntoFailedOrBindingTheMovesOwnParametersWritesNothing() {
    List<UUID> ids = payments(1, "pending");
    // pending → signed skips every stage between
    assertThatThrownBy(
            () -> moveAll(TransactionState.PENDING, TransactionState.SIGNED, ids, new RowChange()))
        .isInstanceOf(RuntimeException.class);
    // a failed payment's coins are given back one by one, by the single move
    assertThatThrownBy(
            () -> moveAll(TransactionState.PENDING, TransactionState.FAILED, ids, new RowChange()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                moveAll(TransactionState.PENDING, TransactionState.CANCELLED, ids, new RowChange()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                database.execute(
                    status ->
                        transitions.applyToAll(
                            TransactionState.PENDING,
                            TransactionState.VOTING,
                            new StateTransitions.Selection(
                                "id = :limit", "'x'", Map.of("limit", ids.get(0))),
                            "test",
                            new RowChange(),
                            10,
                            (rs, n) -> rs.getObject("id", UUID.class))))
        .hasMessageContaining(":limit");
    assertThat(state(ids.get(0))).isEqualTo("pending");
    assertThat(moves(ids.get(0))).isEmpty();
  }
}
