package io.mpcw.types.transaction;

import static io.mpcw.types.transaction.TransactionState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionStateTest {

  /**
   * A second table written independently from the brief's diagram, as the set of allowed "from>to"
   * pairs; the enum's table must agree with it on every one of the 121 pairs.
   */
  private static final Set<String> ALLOWED =
      Set.of(
          "pending>voting",
          "pending>failed",
          "pending>cancelled",
          "voting>approved",
          "voting>rejected",
          "voting>aborted_byzantine",
          "voting>failed",
          "voting>cancelled",
          "approved>signing",
          "approved>failed",
          "signing>signed",
          "signing>failed",
          "signed>broadcasting",
          "signed>failed",
          "broadcasting>confirmed",
          "broadcasting>failed",
          "confirmed>broadcasting");

  @Test
  void everyFromToPairMatchesTheIndependentTable() {
    int checked = 0;
    for (TransactionState from : values()) {
      for (TransactionState to : values()) {
        boolean expected = ALLOWED.contains(from.wireName() + ">" + to.wireName());
        assertThat(from.canTransitionTo(to)).as("%s → %s", from, to).isEqualTo(expected);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(121);
  }

  @Test
  void terminalStatesHaveNoSuccessorsButAReorgAndOnlyConfirmedIsSuccessful() {
    assertThat(CONFIRMED.successors()).containsExactly(BROADCASTING);
    for (TransactionState s : values()) {
      if (s != CONFIRMED) {
        assertThat(s.isTerminal()).isEqualTo(s.successors().isEmpty());
      }
      assertThat(s.isSuccessful()).isEqualTo(s == CONFIRMED);
      assertThat(s.isTerminal()).isEqualTo(s.ordinal() >= CONFIRMED.ordinal());
    }
  }

  @Test
  void onlyPendingAndVotingAreCancellable() {
    for (TransactionState s : values()) {
      assertThat(s.isCancellable()).isEqualTo(s == PENDING || s == VOTING);
    }
  }

  @Test
  void checkTransitionRefusesAMoveOutsideTheTable() {
    assertThat(PENDING.checkTransitionTo(VOTING)).isEqualTo(VOTING);
    assertThatThrownBy(() -> SIGNED.checkTransitionTo(CANCELLED))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("signed → cancelled");
  }

  @Test
  void wireNamesAreLowercaseAndRoundTrip() {
    assertThat(ABORTED_BYZANTINE.wireName()).isEqualTo("aborted_byzantine");
    for (TransactionState s : values()) {
      assertThat(TransactionState.fromWireName(s.wireName())).contains(s);
    }
    assertThat(TransactionState.fromWireName("PENDING")).isEmpty();
  }
}
