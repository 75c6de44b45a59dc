package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningSessionStateTest {

  /** Written independently from the V5 schema's comment: a session is closed exactly once. */
  private static final Set<String> ALLOWED =
      Set.of("open>complete", "open>aborted", "open>invalid");

  @Test
  void everyFromToPairMatchesTheIndependentTable() {
    int checked = 0;
    for (SigningSessionState from : SigningSessionState.values()) {
      for (SigningSessionState to : SigningSessionState.values()) {
        boolean expected = ALLOWED.contains(from.wireName() + ">" + to.wireName());
        assertThat(from.canMoveTo(to)).as("%s → %s", from, to).isEqualTo(expected);
        if (expected) {
          assertThat(from.checkMoveTo(to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.checkMoveTo(to))
              .isInstanceOfSatisfying(
                  SigningSessionState.IllegalMove.class,
                  e -> {
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isEqualTo(to);
                  })
              .hasMessage(
                  "signing session " + from.wireName() + " → " + to.wireName() + " is not allowed");
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(16);
  }

  @Test
  void onlyOpenIsNotTerminal() {
    for (SigningSessionState s : SigningSessionState.values()) {
      assertThat(s.isTerminal()).as("%s", s).isEqualTo(s != SigningSessionState.OPEN);
    }
  }

  @Test
  void wireNamesAreWhatTheSchemaAllowsAndRoundTrip() {
    assertThat(SigningSessionState.values())
        .extracting(SigningSessionState::wireName)
        .containsExactly("open", "complete", "aborted", "invalid");
    for (SigningSessionState s : SigningSessionState.values()) {
      assertThat(SigningSessionState.fromWireName(s.wireName())).contains(s);
    }
    assertThat(SigningSessionState.fromWireName("OPEN")).isEmpty();
  }
}
