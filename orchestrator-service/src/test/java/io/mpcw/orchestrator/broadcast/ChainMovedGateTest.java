package io.mpcw.orchestrator.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.orchestrator.payment.ChainFollower;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainMovedGateTest {
  private static final long MINUTE = Duration.ofMinutes(1).toNanos();
  private static final Optional<ChainFollower.Cursor> A =
      Optional.of(new ChainFollower.Cursor(100, "aa"));
  private static final Optional<ChainFollower.Cursor> B =
      Optional.of(new ChainFollower.Cursor(101, "bb"));
  private static final Optional<ChainFollower.Cursor> A_REPLACED =
      Optional.of(new ChainFollower.Cursor(100, "cc"));

  private final ChainMovedGate gate = new ChainMovedGate(Duration.ofMinutes(1));

  @Test
  void theFirstLookIsAlwaysDue() {
    assertThat(gate.due(A, 0)).isTrue();
  }

  @Test
  void aCompleteLookIsNotRepeatedUnderTheSameTip() {
    gate.looked(A, true, 0);

    assertThat(gate.due(A, 1)).isFalse();
  }

  @Test
  void aNewBlockMakesALookDue() {
    gate.looked(A, true, 0);

    assertThat(gate.due(B, 1)).isTrue();
  }

  @Test
  void aReorganisationToAnotherBlockAtTheSameHeightMakesALookDue() {
    gate.looked(A, true, 0);

    assertThat(gate.due(A_REPLACED, 1)).isTrue();
  }

  @Test
  void aLookThatSawOnlyPartOfThePaymentsIsRepeatedUnderTheSameTip() {
    gate.looked(A, false, 0);

    assertThat(gate.due(A, 1)).isTrue();
  }

  @Test
  void withoutARecordedTipEveryLookIsDue() {
    gate.looked(Optional.empty(), true, 0);

    assertThat(gate.due(Optional.empty(), 1)).isTrue();
  }

  @Test
  void theSafetyNetLooksOnceAMinuteEvenUnderTheSameTip() {
    gate.looked(A, true, 0);

    assertThat(gate.due(A, MINUTE - 1)).isFalse();
    assertThat(gate.due(A, MINUTE)).isTrue();
  }
}
