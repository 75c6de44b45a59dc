package io.mpcw.chain.simulator.ledger;

import io.mpcw.chain.BtcAmount;
import io.mpcw.crypto.tx.DustLimit;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.TxOut;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks a transaction passes before it enters the mempool, in bitcoind's order so that a
 * transaction with several faults gets the error bitcoind would give: structure, standardness
 * (dust), conflicts, inputs, amounts, fees, then signatures.
 */
final class TransactionRules {
  private TransactionRules() {}

  /**
   * Checks {@code tx} against {@code view}.
   *
   * @return the fee in sats
   * @throws Rejection for the first rule it breaks
   */
  static long check(Transaction tx, CoinView view, FeePolicy policy) {
    checkStructure(tx);
    checkDust(tx);
    List<TxOut> spent = spentOutputs(tx, view);
    long in = spent.stream().mapToLong(TxOut::valueSats).sum();
    long out = tx.outputs().stream().mapToLong(TxOut::valueSats).sum();
    if (in < out) {
      throw new Rejection(
          RejectReason.INSUFFICIENT_VALUE,
          "bad-txns-in-belowout, value in ("
              + BtcAmount.toBtc(in).toPlainString()
              + ") < value out ("
              + BtcAmount.toBtc(out).toPlainString()
              + ")");
    }
    long fee = in - out;
    long vsize = tx.vsize();
    if (fee < policy.minimumFee(vsize)) {
      throw new Rejection(
          RejectReason.FEE_TOO_LOW,
          "min relay fee not met, " + fee + " < " + policy.minimumFee(vsize));
    }
    if (policy.exceedsMaximum(fee, vsize)) {
      throw new Rejection(
          RejectReason.FEE_TOO_HIGH,
          "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
    }
    TaprootKeyPathVerifier.verify(tx, spent);
    return fee;
  }

  private static void checkStructure(Transaction tx) {
    Set<OutPoint> seen = new HashSet<>();
    for (TxIn input : tx.inputs()) {
      if (input.outPoint().equals(FaucetTransactions.NULL_PREVOUT)) {
        throw new Rejection(RejectReason.INVALID, "bad-txns-prevout-null");
      }
      if (!seen.add(input.outPoint())) {
        throw new Rejection(RejectReason.INVALID, "bad-txns-inputs-duplicate");
      }
    }
  }

  private static void checkDust(Transaction tx) {
    for (TxOut output : tx.outputs()) {
      if (DustLimit.isDust(output)) {
        throw new Rejection(RejectReason.DUST, "dust");
      }
    }
  }

  /** The outputs the inputs spend; conflicts are reported before missing inputs, as bitcoind. */
  private static List<TxOut> spentOutputs(Transaction tx, CoinView view) {
    for (TxIn input : tx.inputs()) {
      if (view.mempoolSpender(input.outPoint()).isPresent()) {
        throw new Rejection(RejectReason.MEMPOOL_CONFLICT, "txn-mempool-conflict");
      }
    }
    List<TxOut> spent = new ArrayList<>(tx.inputs().size());
    for (TxIn input : tx.inputs()) {
      Optional<TxOut> coin = view.coin(input.outPoint());
      if (coin.isEmpty()) {
        throw new Rejection(RejectReason.MISSING_INPUTS, "bad-txns-inputs-missingorspent");
      }
      spent.add(coin.get());
    }
    return spent;
  }
}
