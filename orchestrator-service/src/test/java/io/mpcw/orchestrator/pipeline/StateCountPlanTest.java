package io.mpcw.orchestrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.orchestrator.support.GenericPlans;
import io.mpcw.orchestrator.support.OrchestratorTestBase;
import io.mpcw.types.transaction.TransactionState;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The frequent count of the states payments pass through reads those states' rows alone, through
 * the state's index, never the terminal rows every payment leaves for good.
 */
class StateCountPlanTest extends OrchestratorTestBase {
  @Autowired DataSource dataSource;

  @Test
  void theFrequentCountNamesEveryInFlightStateAndNoTerminalOne() {
    for (TransactionState state : TransactionState.values()) {
      assertThat(StateCountRefresher.IN_FLIGHT_SQL.contains("'" + state.wireName() + "'"))
          .as(state.wireName())
          .isEqualTo(!state.isTerminal());
    }
  }

  @Test
  void theFrequentCountReadsThroughTheStateIndexAndTheFullCountReadsEveryRow() {
    assertThat(GenericPlans.of(dataSource, StateCountRefresher.IN_FLIGHT_SQL))
        .containsPattern("Index (Only )?Scan")
        .containsPattern("(Index|Recheck) Cond: \\(state = ANY")
        .doesNotContain("Seq Scan");
    // what the check tells apart: the count of every state has no condition to read by
    assertThat(GenericPlans.of(dataSource, StateCountRefresher.ALL_SQL)).doesNotContain("Cond:");
  }
}
