package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningOutcomeTest {

  /**
   * Which session state an attempt of each outcome closes its session with, written from what
   * {@link SessionSettlement} does, as "outcome>state" pairs.
   */
  private static final Set<String> ALLOWED =
      Set.of(
          "ok>complete",
          "superseded>aborted",
          "superseded>complete",
          "culprit>aborted",
          "culprit>invalid",
          "refused>aborted",
          "refused>invalid",
          "unreachable>aborted",
          "unreachable>invalid",
          "invalid>invalid");

  @Test
  void everyOutcomeAndClosingStateMatchesTheIndependentTable() {
    int checked = 0;
    for (SigningOutcome outcome : SigningOutcome.values()) {
      for (SigningSessionState state : SigningSessionState.values()) {
        boolean expected = ALLOWED.contains(outcome.wireName() + ">" + state.wireName());
        assertThat(outcome.closesAs().contains(state))
            .as("%s closes as %s", outcome, state)
            .isEqualTo(expected);
        if (expected) {
          assertThat(outcome.checkClosesAs(state)).isEqualTo(state);
        } else {
          assertThatThrownBy(() -> outcome.checkClosesAs(state))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage(
                  "a signing attempt "
                      + outcome.wireName()
                      + " does not close its session as "
                      + state.wireName());
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(24);
  }

  @Test
  void noOutcomeLeavesItsSessionOpen() {
    for (SigningOutcome outcome : SigningOutcome.values()) {
      assertThat(outcome.closesAs()).isNotEmpty().doesNotContain(SigningSessionState.OPEN);
    }
  }

  @Test
  void wireNamesAreTheStoredOnesAndRoundTrip() {
    assertThat(SigningOutcome.values())
        .extracting(SigningOutcome::wireName)
        .containsExactly("ok", "unreachable", "culprit", "refused", "invalid", "superseded");
    for (SigningOutcome o : SigningOutcome.values()) {
      assertThat(SigningOutcome.parse(o.wireName())).isEqualTo(o);
    }
    assertThat(SigningOutcome.fromWireName("OK")).isEmpty();
    assertThatThrownBy(() -> SigningOutcome.parse("timeout"))
        .hasMessageContaining("unknown signing outcome timeout");
  }
}
