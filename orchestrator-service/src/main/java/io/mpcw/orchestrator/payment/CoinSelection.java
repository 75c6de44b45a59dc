package io.mpcw.orchestrator.payment;

import io.mpcw.crypto.tx.DustLimit;
import io.mpcw.crypto.tx.FeeCalculator;
import io.mpcw.crypto.tx.KeyPathSizeEstimator;
import io.mpcw.crypto.tx.TxOut;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Largest coins first until the amount and the fee are covered. Few inputs keep the fee and the
 * signing work (one FROST round per input) small; a payment never needs more than it takes.
 */
public final class CoinSelection {
  /** A funded spend: coins, fee, and change (0 when the rest is below dust and goes to the fee). */
  public record Selected(List<Coin> coins, long feeSats, long changeSats) {}

  private CoinSelection() {}

  /** The spend, or empty when the coins cannot pay {@code amountSats} plus its fee. */
  public static Optional<Selected> select(
      List<Coin> available,
      long amountSats,
      BigDecimal feeRateSatVb,
      byte[] recipientScript,
      byte[] changeScript) {
    List<Coin> sorted = new ArrayList<>(available);
    sorted.sort(
        Comparator.comparingLong(Coin::valueSats)
            .reversed()
            .thenComparing(Coin::txid)
            .thenComparingInt(Coin::vout));
    TxOut payment = new TxOut(amountSats, recipientScript);
    List<Coin> chosen = new ArrayList<>();
    long in = 0;
    for (Coin coin : sorted) {
      chosen.add(coin);
      in += coin.valueSats();
      long feeWithChange =
          fee(feeRateSatVb, chosen.size(), List.of(payment, new TxOut(1, changeScript)));
      long change = in - amountSats - feeWithChange;
      if (change >= DustLimit.of(changeScript)) {
        return Optional.of(new Selected(List.copyOf(chosen), feeWithChange, change));
      }
      long feeWithout = fee(feeRateSatVb, chosen.size(), List.of(payment));
      if (in - amountSats >= feeWithout) {
        // no change output: what is left above the fee is below dust and goes to the miners
        return Optional.of(new Selected(List.copyOf(chosen), in - amountSats, 0));
      }
    }
    return Optional.empty();
  }

  /** What {@code available} can pay at most, for the "insufficient funds" reason. */
  public static long total(List<Coin> available) {
    return available.stream().mapToLong(Coin::valueSats).sum();
  }

  static long fee(BigDecimal feeRateSatVb, int inputs, List<TxOut> outputs) {
    return FeeCalculator.fee(feeRateSatVb, KeyPathSizeEstimator.vsize(inputs, outputs));
  }
}
