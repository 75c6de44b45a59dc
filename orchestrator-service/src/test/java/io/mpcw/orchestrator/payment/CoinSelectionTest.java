package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.tx.DustLimit;
import io.mpcw.crypto.tx.KeyPathSizeEstimator;
import io.mpcw.crypto.tx.TxOut;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoinSelectionTest {
  private static final byte[] RECIPIENT = p2tr((byte) 0x11);
  private static final byte[] CHANGE = p2tr((byte) 0x22);
  private static final BigDecimal RATE = new BigDecimal("2");

  private static byte[] p2tr(byte fill) {
    byte[] script = new byte[34];
    Arrays.fill(script, fill);
    script[0] = 0x51;
    script[1] = 0x20;
    return script;
  }

  private static Coin coin(String txidByte, long sats) {
    return new Coin(txidByte.repeat(32), 0, sats, CHANGE);
  }

  private static long vsize(int inputs, boolean withChange) {
    return withChange
        ? KeyPathSizeEstimator.vsize(inputs, List.of(new TxOut(1, RECIPIENT), new TxOut(1, CHANGE)))
        : KeyPathSizeEstimator.vsize(inputs, List.of(new TxOut(1, RECIPIENT)));
  }

  @Test
  void takesTheLargestCoinsFirstAndNoMoreThanNeeded() {
    List<Coin> coins = List.of(coin("aa", 10_000), coin("bb", 90_000), coin("cc", 50_000));

    CoinSelection.Selected s =
        CoinSelection.select(coins, 100_000, RATE, RECIPIENT, CHANGE).orElseThrow();

    assertThat(s.coins()).extracting(Coin::valueSats).containsExactly(90_000L, 50_000L);
    assertThat(s.feeSats()).isEqualTo(2 * vsize(2, true));
    assertThat(s.changeSats()).isEqualTo(140_000 - 100_000 - s.feeSats());
  }

  @Test
  void changeBelowDustGoesToTheFeeWithoutAChangeOutput() {
    long fee = 2 * vsize(1, false);
    long amount = 100_000 - fee - (DustLimit.of(CHANGE) - 1);

    CoinSelection.Selected s =
        CoinSelection.select(List.of(coin("aa", 100_000)), amount, RATE, RECIPIENT, CHANGE)
            .orElseThrow();

    assertThat(s.changeSats()).isZero();
    assertThat(s.feeSats()).isEqualTo(100_000 - amount);
  }

  @Test
  void anExactAmountPlusFeeNeedsNoChange() {
    long fee = 2 * vsize(1, false);

    CoinSelection.Selected s =
        CoinSelection.select(List.of(coin("aa", 100_000)), 100_000 - fee, RATE, RECIPIENT, CHANGE)
            .orElseThrow();

    assertThat(s.feeSats()).isEqualTo(fee);
    assertThat(s.changeSats()).isZero();
  }

  @Test
  void coinsThatCannotPayTheAmountAndItsFeeSelectNothing() {
    List<Coin> coins = List.of(coin("aa", 30_000), coin("bb", 30_000));

    assertThat(CoinSelection.select(coins, 60_000, RATE, RECIPIENT, CHANGE)).isEmpty();
    assertThat(CoinSelection.select(List.of(), 1_000, RATE, RECIPIENT, CHANGE)).isEmpty();
    assertThat(CoinSelection.total(coins)).isEqualTo(60_000);
  }

  @Test
  void aFractionalFeeRateRoundsTheFeeUp() {
    CoinSelection.Selected s =
        CoinSelection.select(
                List.of(coin("aa", 100_000)), 10_000, new BigDecimal("1.001"), RECIPIENT, CHANGE)
            .orElseThrow();

    assertThat(s.feeSats()).isGreaterThanOrEqualTo((long) Math.ceil(1.001 * vsize(1, true)));
  }
}
