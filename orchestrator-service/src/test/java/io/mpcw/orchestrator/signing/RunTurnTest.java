package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a ROAST run does next, on one reading of the grace. */
class RunTurnTest {
  private static final Instant NOW = Instant.parse("2026-12-05T19:00:00Z");
  private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

  @Test
  void aGraceThatEndedAfterTheSessionsWereLookedAtStartsTheSiblingInsteadOfWaitingForAReply() {
    // the grace was read as running when sessions were started, and is over when the run decides
    // how to wait: with a reply still awaited, the old loop waited up to the request deadline
    RunTurn turn = RunTurn.next(true, Optional.of(NOW.minusNanos(1)), true, NOW, EVENT_WAIT);

    assertThat(turn.kind()).isEqualTo(RunTurn.Kind.START_NOW);
  }

  @Test
  void aGraceEndingExactlyNowNoLongerHoldsSiblingsBack() {
    assertThat(RunTurn.next(true, Optional.of(NOW), true, NOW, EVENT_WAIT).kind())
        .isEqualTo(RunTurn.Kind.START_NOW);
  }

  @Test
  void readySignersWithoutAnyGraceStartEvenWhenNothingElseIsAwaited() {
    assertThat(RunTurn.next(true, Optional.empty(), false, NOW, EVENT_WAIT).kind())
        .isEqualTo(RunTurn.Kind.START_NOW);
  }

  @Test
  void aRunningGraceIsWaitedOutToItsEndAndNoLonger() {
    RunTurn turn = RunTurn.next(true, Optional.of(NOW.plusMillis(120)), true, NOW, EVENT_WAIT);

    assertThat(turn.kind()).isEqualTo(RunTurn.Kind.AWAIT_GRACE);
    assertThat(turn.waitFor()).isEqualTo(Duration.ofMillis(120));
  }

  @Test
  void aGraceEndingWithinAMillisecondIsWaitedForAWholeMillisecondNotZero() {
    // a zero poll would return at once and the loop would turn without the grace having ended;
    // the poll counts whole milliseconds, so the wait is rounded up, never down
    RunTurn turn = RunTurn.next(true, Optional.of(NOW.plusNanos(300_000)), true, NOW, EVENT_WAIT);

    assertThat(turn.kind()).isEqualTo(RunTurn.Kind.AWAIT_GRACE);
    assertThat(turn.waitFor()).isEqualTo(Duration.ofMillis(1));
    assertThat(
            RunTurn.next(true, Optional.of(NOW.plusNanos(120_300_000)), true, NOW, EVENT_WAIT)
                .waitFor())
        .isEqualTo(Duration.ofMillis(121));
  }

  @Test
  void withTooFewReadySignersTheRunWaitsForAnEventWhateverTheGrace() {
    for (Optional<Instant> grace : java.util.List.of(Optional.<Instant>empty(), Optional.of(NOW))) {
      RunTurn turn = RunTurn.next(false, grace, true, NOW, EVENT_WAIT);

      assertThat(turn.kind()).isEqualTo(RunTurn.Kind.AWAIT_EVENT);
      assertThat(turn.waitFor()).isEqualTo(EVENT_WAIT);
    }
  }

  @Test
  void withNothingToStartAndNothingAwaitedTheRunGivesUp() {
    assertThat(RunTurn.next(false, Optional.of(NOW.plusSeconds(1)), false, NOW, EVENT_WAIT).kind())
        .isEqualTo(RunTurn.Kind.GIVE_UP);
  }
}
