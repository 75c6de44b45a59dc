package io.mpcw.chain.simulator.ledger;

/**
 * Fee limits of {@code sendrawtransaction}, in sat per 1000 virtual bytes as bitcoind counts them.
 *
 * @param minRelaySatPerKvb bitcoind's {@code -minrelaytxfee} (1 sat/vB by default)
 * @param maxSatPerKvb the caller's {@code maxfeerate}; 0 for no limit
 */
public record FeePolicy(long minRelaySatPerKvb, long maxSatPerKvb) {
  /** bitcoind's defaults: 1 sat/vB minimum, at most 0.10 BTC/kvB. */
  public static final FeePolicy DEFAULT = new FeePolicy(1_000, 10_000_000);

  /** For transactions coming back from a disconnected block: they were paid for already. */
  static final FeePolicy READMIT = new FeePolicy(0, 0);

  /** The default minimum with the caller's {@code maxfeerate}. */
  public static FeePolicy withMax(long maxSatPerKvb) {
    return new FeePolicy(DEFAULT.minRelaySatPerKvb, maxSatPerKvb);
  }

  long minimumFee(long vsize) {
    return ceilDiv(vsize * minRelaySatPerKvb, 1_000);
  }

  boolean exceedsMaximum(long fee, long vsize) {
    return maxSatPerKvb > 0 && fee > vsize * maxSatPerKvb / 1_000;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
