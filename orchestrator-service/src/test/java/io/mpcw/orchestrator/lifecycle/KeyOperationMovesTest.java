package io.mpcw.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.support.GenericPlans;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link KeyOperations} on PostgreSQL: a move the state table does not allow is refused before
 * anything is written (no state change, no history row), even by the runner holding the lease.
 */
class KeyOperationMovesTest extends OrchestratorTestBase {
  @Autowired KeyOperations operations;
  @Autowired JdbcClient jdbc;

  @Test
  void refusesAMoveOutsideTheTableNamingItAndWritesNothing() {
    UUID owner = UUID.randomUUID();
    KeyOperation op = operations.create(wallet(), "refresh", 0, "refresh test subject");
    lease(op.id(), owner);

    assertThatThrownBy(
            () -> operations.transition(op.id(), owner, State.VOTING, State.COMMITTED, "skip"))
        .isInstanceOf(KeyOperation.IllegalMove.class)
        .hasMessage("key operation voting → committed is not allowed");

    assertThat(operations.find(op.id()).orElseThrow().state()).isEqualTo(State.VOTING);
    assertThat(operations.history(op.id())).hasSize(1);
  }

  @Test
  void walksAnOperationThroughTheTableAndRefusesEveryWayBack() {
    UUID owner = UUID.randomUUID();
    KeyOperation op = operations.create(wallet(), "refresh", 0, "refresh test subject");
    lease(op.id(), owner);
    assertThat(operations.transition(op.id(), owner, State.VOTING, State.DEALING, "all yes"))
        .isTrue();
    lease(op.id(), owner);
    for (State back : new State[] {State.VOTING, State.DEALING, State.REJECTED}) {
      assertThatThrownBy(() -> operations.transition(op.id(), owner, State.DEALING, back, "back"))
          .isInstanceOf(KeyOperation.IllegalMove.class)
          .hasMessageContaining("dealing → " + back.wireName());
    }
    assertThat(operations.transition(op.id(), owner, State.DEALING, State.ABORTED, "gave up"))
        .isTrue();
    assertThat(operations.find(op.id()).orElseThrow().state()).isEqualTo(State.ABORTED);
    assertThat(operations.history(op.id()))
        .extracting(KeyOperation.Change::to)
        .containsExactly("voting", "dealing", "aborted");
    assertThatThrownBy(
            () -> operations.transition(op.id(), owner, State.ABORTED, State.DEALING, "again"))
        .isInstanceOf(KeyOperation.IllegalMove.class);
  }

  @Test
  void aMoveTheTableAllowsStillNeedsTheLeaseAndTheStoredState() {
    UUID owner = UUID.randomUUID();
    KeyOperation op = operations.create(wallet(), "refresh", 0, "refresh test subject");
    lease(op.id(), owner);
    // legal in the table, but the row is in voting, not dealing: nothing changes
    assertThat(operations.transition(op.id(), owner, State.DEALING, State.ABORTED, "stale"))
        .isFalse();
    assertThat(operations.recordVotes(op.id(), UUID.randomUUID(), Map.of())).isFalse();
    assertThat(operations.find(op.id()).orElseThrow().state()).isEqualTo(State.VOTING);
  }

  @Test
  void aClaimTakesRunningOperationsAndNeverATerminalOne() {
    UUID owner = UUID.randomUUID();
    KeyOperation rejected = operations.create(wallet(), "refresh", 0, "refresh test subject");
    KeyOperation running = operations.create(wallet(), "refresh", 0, "refresh test subject");
    lease(rejected.id(), owner);
    operations.transition(rejected.id(), owner, State.VOTING, State.REJECTED, "a node said no");
    // both due long ago and unleased: the claim's order puts them first, only state tells apart
    jdbc.sql(
            "UPDATE key_operations SET next_at = now() - interval '1 day', lease_owner = NULL,"
                + " lease_until = NULL WHERE id IN (?, ?)")
        .params(rejected.id(), running.id())
        .update();
    KeyOperation claimed =
        operations.claimDue(UUID.randomUUID(), java.time.Duration.ofMinutes(1)).orElseThrow();
    assertThat(claimed.id()).isEqualTo(running.id());
    assertThat(claimed.state()).isEqualTo(State.VOTING);
  }

  private UUID wallet() {
    UUID id = UUID.randomUUID();
    jdbc.sql("INSERT INTO wallets (id, name, threshold, network) VALUES (?, ?, 2, 'regtest')")
        .params(id, "key-op-moves-" + id)
        .update();
    return id;
  }

  /** Gives {@code owner} the operation's lease, as a claim would. */
  private void lease(UUID id, UUID owner) {
    jdbc.sql(
            "UPDATE key_operations SET lease_owner = ?, lease_until = now() + interval '1 minute'"
                + " WHERE id = ?")
        .params(owner, id)
        .update();
  }

  @Test
  void theClaimOfDueOperationsHasACachedPlanThatReadsNoParameter(@Autowired DataSource data) {
    // with the running states bound, the poll was planned again at every call
    assertThat(GenericPlans.of(data, KeyOperations.CLAIM_DUE))
        .doesNotContainPattern(GenericPlans.PARAMETER);
  }
}
