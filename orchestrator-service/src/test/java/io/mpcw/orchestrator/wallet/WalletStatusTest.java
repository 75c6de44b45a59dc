package io.mpcw.orchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WalletStatusTest {

  /**
   * A second table written from what {@link Wallets} does to a wallet row, as "from>to" pairs; the
   * enum's table must agree with it on every one of the 9 pairs.
   */
  private static final Set<String> ALLOWED =
      Set.of(
          "pending>ready", // the DKG finished
          "pending>failed", // the DKG failed, or its coordinator stopped mid-way
          "pending>pending", // the default wallet's attempt claimed again once its lease ran out
          "failed>pending", // the default wallet's next attempt after its backoff
          "failed>failed"); // the default wallet retired, or a failed attempt's new reason

  @Test
  void everyFromToPairMatchesTheIndependentTable() {
    int checked = 0;
    for (WalletStatus from : WalletStatus.values()) {
      for (WalletStatus to : WalletStatus.values()) {
        boolean expected = ALLOWED.contains(from.wireName() + ">" + to.wireName());
        assertThat(from.canMoveTo(to)).as("%s → %s", from, to).isEqualTo(expected);
        if (expected) {
          assertThat(from.checkMoveTo(to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.checkMoveTo(to))
              .isInstanceOfSatisfying(
                  WalletStatus.IllegalMove.class,
                  e -> {
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isEqualTo(to);
                  })
              .hasMessage(
                  "wallet status " + from.wireName() + " → " + to.wireName() + " is not allowed");
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(9);
  }

  @Test
  void aReadyWalletNeverLeavesReady() {
    assertThat(WalletStatus.READY.successors()).isEmpty();
    assertThatThrownBy(() -> WalletStatus.READY.checkMoveTo(WalletStatus.FAILED))
        .hasMessageContaining("ready → failed");
  }

  @Test
  void theStatusesAnUpdateBindsAreExactlyThoseTheTableLetsMove() {
    assertThat(WalletStatus.wireNamesMovingTo(WalletStatus.READY)).containsExactly("pending");
    assertThat(WalletStatus.wireNamesMovingTo(WalletStatus.FAILED))
        .containsExactlyInAnyOrder("pending", "failed");
    assertThat(WalletStatus.wireNamesMovingTo(WalletStatus.PENDING))
        .containsExactlyInAnyOrder("pending", "failed");
  }

  @Test
  void wireNamesAreTheStoredLowercaseNamesAndRoundTrip() {
    for (WalletStatus s : WalletStatus.values()) {
      assertThat(s.wireName()).isEqualTo(s.name().toLowerCase(java.util.Locale.ROOT));
      assertThat(WalletStatus.fromWireName(s.wireName())).isEqualTo(s);
    }
    assertThatThrownBy(() -> WalletStatus.fromWireName("READY"))
        .hasMessageContaining("unknown wallet status READY");
  }
}
