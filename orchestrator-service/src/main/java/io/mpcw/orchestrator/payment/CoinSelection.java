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
    Picker picker = new Picker(amountSats, feeRateSatVb, recipientScript, changeScript);
    for (Coin coin : sorted) {
      Optional<Selected> selected = picker.add(coin);
      if (selected.isPresent()) {
        return selected;
      }
    }
    return Optional.empty();
  }

  /**
   * The same choice made one coin at a time, for coins read largest first in pages: each coin is
   * looked at once, so reading a wallet's coins costs in proportion to their number, not its
   * square.
   */
  static final class Picker {
    private final long amountSats;
    private final BigDecimal feeRateSatVb;
    private final List<TxOut> withChange;
    private final List<TxOut> withoutChange;
    private final byte[] changeScript;
    private final List<Coin> chosen = new ArrayList<>();
    private long in;

    Picker(long amountSats, BigDecimal feeRateSatVb, byte[] recipientScript, byte[] changeScript) {
      this.amountSats = amountSats;
      this.feeRateSatVb = feeRateSatVb;
      TxOut payment = new TxOut(amountSats, recipientScript);
      this.withChange = List.of(payment, new TxOut(1, changeScript));
      this.withoutChange = List.of(payment);
      this.changeScript = changeScript;
    }

    /** Takes the next (not larger) coin; the spend once the coins taken so far pay. */
    Optional<Selected> add(Coin coin) {
      chosen.add(coin);
      in += coin.valueSats();
      long feeWithChange = fee(feeRateSatVb, chosen.size(), withChange);
      long change = in - amountSats - feeWithChange;
      if (change >= DustLimit.of(changeScript)) {
        return Optional.of(new Selected(List.copyOf(chosen), feeWithChange, change));
      }
      long feeWithout = fee(feeRateSatVb, chosen.size(), withoutChange);
      if (in - amountSats >= feeWithout) {
        // no change output: what is left above the fee is below dust and goes to the miners
        return Optional.of(new Selected(List.copyOf(chosen), in - amountSats, 0));
      }
      return Optional.empty();
    }
  }

  /** What {@code available} can pay at most, for the "insufficient funds" reason. */
  public static long total(List<Coin> available) {
    return available.stream().mapToLong(Coin::valueSats).sum();
  }

  static long fee(BigDecimal feeRateSatVb, int inputs, List<TxOut> outputs) {
    return FeeCalculator.fee(feeRateSatVb, KeyPathSizeEstimator.vsize(inputs, outputs));
  }
}
