package io.mpcw.orchestrator.payment;

import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.crypto.psbt.Psbt;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code approved → signing} for a payment submitted as a PSBT: no coin selection, the transaction
 * is the PSBT's. Each input must be one of the wallet's confirmed free coins, with the amount and
 * script the PSBT claims (the sighash commits to them, so the orchestrator's own records are what
 * the nodes sign over); the coins are reserved and the change recorded in the state change's
 * database transaction, as for a payment the orchestrator built.
 */
@Component
class ImportedBuild {
  private static final Duration WAIT = Duration.ofSeconds(1);
  private final Coins coins;
  private final ChainFollower follower;

  ImportedBuild(Coins coins, ChainFollower follower) {
    this.coins = coins;
    this.follower = follower;
  }

  StageOutcome build(UUID paymentId, Wallet wallet, Psbt psbt) {
    Transaction unsigned = psbt.unsignedTx().toTransaction();
    Inputs inputs = inputs(wallet, psbt, unsigned);
    if (inputs.refused().isEmpty() && !inputs.unavailable().isEmpty()) {
      try {
        if (!follower.caughtUp()) {
          return new StageOutcome.Retry(WAIT, "coins not read up to the chain's tip yet");
        }
      } catch (ChainUnavailableException | ChainRejectedException e) {
        return new StageOutcome.Retry(WAIT, "chain: " + e.getMessage());
      }
      // looked at again once the follower is known to be caught up: a coin it recorded between the
      // first look and that answer would otherwise fail a payment spending the wallet's own coin
      inputs = inputs(wallet, psbt, unsigned);
    }
    if (inputs.refused().isPresent()) {
      return inputs.refused().get();
    }
    if (!inputs.unavailable().isEmpty()) {
      return new StageOutcome.Advance(
          TransactionState.FAILED,
          "the PSBT spends what is not a confirmed, free coin of this wallet: "
              + String.join(", ", inputs.unavailable()));
    }
    List<Coin> spend = inputs.spend();
    byte[] walletScript = wallet.scriptPubKey().orElseThrow();
    long in = spend.stream().mapToLong(Coin::valueSats).sum();
    long out = unsigned.outputs().stream().mapToLong(TxOut::valueSats).sum();
    int change = -1;
    for (int o = 0; o < unsigned.outputs().size(); o++) {
      if (Arrays.equals(unsigned.outputs().get(o).scriptPubKey(), walletScript)) {
        change = o;
      }
    }
    int changeVout = change;
    long changeSats = change < 0 ? 0 : unsigned.outputs().get(change).valueSats();
    String txid = unsigned.txid().toDisplayHex();
    return new StageOutcome.AdvanceWith(
        TransactionState.SIGNING,
        row -> {
          coins.reserve(paymentId, spend);
          if (changeVout >= 0) {
            Coins.recordChange(row, wallet.id(), txid, changeVout, changeSats, walletScript);
          }
          Payments.built(
              row,
              wallet,
              unsigned,
              spend.stream().map(Coin::asTxOut).toList(),
              in - out,
              changeSats);
          return "built "
              + txid
              + " from the submitted PSBT: "
              + spend.size()
              + " input(s), fee "
              + (in - out)
              + " sats, change "
              + changeSats
              + " sats";
        });
  }

  /**
   * The PSBT's inputs as the wallet's free coins: those found, the outpoints that are not (yet) a
   * free coin of the wallet, or the failure of an input whose amount or script is not the coin's.
   */
  private Inputs inputs(Wallet wallet, Psbt psbt, Transaction unsigned) {
    List<Coin> spend = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    for (int i = 0; i < unsigned.inputs().size(); i++) {
      OutPoint at = unsigned.inputs().get(i).outPoint();
      Optional<Coin> coin = coins.freeCoin(wallet.id(), at.txid().toDisplayHex(), at.vout());
      if (coin.isEmpty()) {
        unavailable.add(at.toString());
        continue;
      }
      TxOut claimed = psbt.witnessUtxo(i).orElseThrow();
      if (claimed.valueSats() != coin.get().valueSats()
          || !Arrays.equals(claimed.scriptPubKey(), coin.get().scriptPubKey())) {
        return new Inputs(
            spend,
            unavailable,
            Optional.of(
                new StageOutcome.Advance(
                    TransactionState.FAILED,
                    "the PSBT's input "
                        + i
                        + " claims "
                        + claimed.valueSats()
                        + " sats, the wallet's coin "
                        + at
                        + " holds "
                        + coin.get().valueSats())));
      }
      spend.add(coin.get());
    }
    return new Inputs(spend, unavailable, Optional.empty());
  }

  private record Inputs(
      List<Coin> spend, List<String> unavailable, Optional<StageOutcome> refused) {}
}
