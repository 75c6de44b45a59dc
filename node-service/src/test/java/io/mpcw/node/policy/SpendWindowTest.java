package io.mpcw.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.address.Network;
import io.mpcw.node.journal.NodeJournal;
import io.mpcw.node.vote.Payments;
import io.mpcw.votes.VoteRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpendWindowTest {

  private static final String ALICE = Payments.address(Network.REGTEST, 1);
  private final VotePolicy policy =
      new VotePolicy(
          new PolicyProperties(100_000_000L, 10_000, List.of(), List.of(), "regtest", 100_000));
  private final MutableClock clock = new MutableClock();
  private final SpendWindow window = new SpendWindow(clock);
  private final UUID wallet = UUID.randomUUID();

  private PolicyDecision admit(VoteRequest request) {
    return window.admit(request, state -> policy.evaluate(request, state));
  }

  @Test
  void approvalsUseUpTheWalletsDailyLimit() {
    assertThat(admit(Payments.payment(wallet, ALICE, 6_000)).approved()).isTrue();

    assertThat(admit(Payments.payment(wallet, ALICE, 5_000)).brokenRule())
        .contains(PolicyRule.DAILY_LIMIT);
    assertThat(admit(Payments.payment(UUID.randomUUID(), ALICE, 5_000)).approved()).isTrue();
  }

  @Test
  void aDurableWindowRemembersItsApprovalsAndReleasesAcrossARestart(@TempDir Path dir) {
    VoteRequest kept = Payments.payment(wallet, ALICE, 6_000);
    VoteRequest released = Payments.payment(wallet, ALICE, 3_000);
    try (NodeJournal journal = NodeJournal.open(dir, entry -> true)) {
      SpendWindow durable = new SpendWindow(clock, journal);
      assertThat(durable.admit(kept, state -> policy.evaluate(kept, state)).approved()).isTrue();
      assertThat(durable.admit(released, state -> policy.evaluate(released, state)).approved())
          .isTrue();
      durable.release(wallet, released.txId());
    }

    try (NodeJournal journal = NodeJournal.open(dir, entry -> true)) {
      SpendWindow restarted = new SpendWindow(clock, journal);
      VoteRequest next = Payments.payment(wallet, ALICE, 5_000);
      assertThat(restarted.admit(next, state -> policy.evaluate(next, state)).brokenRule())
          .contains(PolicyRule.DAILY_LIMIT);
      VoteRequest fits = Payments.payment(wallet, ALICE, 4_000);
      assertThat(restarted.admit(fits, state -> policy.evaluate(fits, state)).approved()).isTrue();
    }
  }

  @Test
  void askingAgainAboutOneTransactionDoesNotCountItTwice() {
    VoteRequest request = Payments.payment(wallet, ALICE, 6_000);

    assertThat(admit(request).approved()).isTrue();
    assertThat(admit(request).approved()).isTrue();
    assertThat(admit(Payments.payment(wallet, ALICE, 4_000)).approved()).isTrue();
  }

  @Test
  void spendingOlderThan24HoursNoLongerCounts() {
    assertThat(admit(Payments.payment(wallet, ALICE, 10_000)).approved()).isTrue();

    clock.advance(Duration.ofHours(24).plusSeconds(1));

    assertThat(admit(Payments.payment(wallet, ALICE, 10_000)).approved()).isTrue();
  }

  @Test
  void releasedReservationFreesTheLimit() {
    VoteRequest late = Payments.payment(wallet, ALICE, 10_000);
    assertThat(admit(late).approved()).isTrue();

    window.release(wallet, late.txId());

    assertThat(admit(Payments.payment(wallet, ALICE, 10_000)).approved()).isTrue();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-22T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
