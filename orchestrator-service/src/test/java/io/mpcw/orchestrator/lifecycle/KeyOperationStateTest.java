package io.mpcw.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyOperationStateTest {

  /** Written from the coordinators' moves (refresh, repair, reshare), as "from>to" pairs. */
  private static final Set<String> ALLOWED =
      Set.of(
          "voting>dealing",
          "voting>rejected",
          "voting>aborted",
          "dealing>committing",
          "dealing>committed", // a repair commits nothing: the lost share is rebuilt
          "dealing>aborted",
          "committing>committed");

  @Test
  void everyFromToPairMatchesTheIndependentTable() {
    int checked = 0;
    for (State from : State.values()) {
      for (State to : State.values()) {
        boolean expected = ALLOWED.contains(from.wireName() + ">" + to.wireName());
        assertThat(from.canMoveTo(to)).as("%s → %s", from, to).isEqualTo(expected);
        if (expected) {
          assertThat(from.checkMoveTo(to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.checkMoveTo(to))
              .isInstanceOfSatisfying(
                  KeyOperation.IllegalMove.class,
                  e -> {
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isEqualTo(to);
                  })
              .hasMessage(
                  "key operation " + from.wireName() + " → " + to.wireName() + " is not allowed");
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(36);
  }

  @Test
  void committingNeverGoesBackOrAborts() {
    // the wallet moved to the new epoch with committing: only finishing the commit is left
    assertThat(State.COMMITTING.successors()).containsExactly(State.COMMITTED);
  }

  @Test
  void terminalStatesAreThoseWithoutSuccessorsAndTheRunnerWorksOnTheOthers() {
    assertThat(State.values())
        .filteredOn(State::terminal)
        .containsExactly(State.COMMITTED, State.REJECTED, State.ABORTED);
    assertThat(State.runningWireNames()).containsExactly("voting", "dealing", "committing");
  }

  @Test
  void wireNamesRoundTripAndAnUnknownOneIsRefused() {
    for (State s : State.values()) {
      assertThat(State.fromWireName(s.wireName())).isEqualTo(s);
    }
    assertThatThrownBy(() -> State.fromWireName("VOTING"))
        .hasMessageContaining("unknown key operation state VOTING");
  }
}
