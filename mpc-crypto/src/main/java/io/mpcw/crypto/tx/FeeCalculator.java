package io.mpcw.crypto.tx;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Fees from a rate in sat/vB and a virtual size, always rounded up so the rate is met. */
public final class FeeCalculator {
  private FeeCalculator() {}

  /**
   * {@code ceil(satPerVbyte × vsize)} in satoshis.
   *
   * @throws IllegalArgumentException for a negative rate or size
   */
  public static long fee(BigDecimal satPerVbyte, long vsize) {
    if (satPerVbyte.signum() < 0) {
      throw new IllegalArgumentException("fee rate " + satPerVbyte + " sat/vB is negative");
    }
    if (vsize < 0) {
      throw new IllegalArgumentException("vsize " + vsize + " is negative");
    }
    return satPerVbyte
        .multiply(BigDecimal.valueOf(vsize))
        .setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }

  /** {@link #fee(BigDecimal, long)} for a whole number of sat/vB. */
  public static long fee(long satPerVbyte, long vsize) {
    return fee(BigDecimal.valueOf(satPerVbyte), vsize);
  }
}
