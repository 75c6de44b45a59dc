package io.mpcw.chain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Conversions between satoshis and the decimal BTC amounts of bitcoind's JSON-RPC.
 *
 * <p>Amounts travel as JSON decimals; a double cannot hold most of them exactly (0.29 BTC is
 * 28999999.999999996 sats as a double), so they are only ever handled as {@link BigDecimal}.
 */
public final class BtcAmount {
  /** Satoshis per bitcoin: amounts have at most 8 decimal places. */
  public static final int DECIMALS = 8;

  /** 21 million BTC, the most any amount can be (Bitcoin Core's MAX_MONEY). */
  public static final long MAX_SATS = 21_000_000L * 100_000_000L;

  private BtcAmount() {}

  /**
   * The exact number of satoshis in {@code btc}.
   *
   * @throws IllegalArgumentException when the amount has a fraction of a satoshi, is negative or is
   *     above 21 million BTC
   */
  public static long toSats(BigDecimal btc) {
    long sats;
    try {
      sats = btc.movePointRight(DECIMALS).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "amount " + btc.toPlainString() + " BTC is not a whole number of satoshis", e);
    }
    if (sats < 0 || sats > MAX_SATS) {
      throw new IllegalArgumentException("amount " + btc.toPlainString() + " BTC is out of range");
    }
    return sats;
  }

  /** {@code sats} as BTC with exactly 8 decimal places, as bitcoind writes amounts. */
  public static BigDecimal toBtc(long sats) {
    return BigDecimal.valueOf(sats, DECIMALS).setScale(DECIMALS, RoundingMode.UNNECESSARY);
  }
}
