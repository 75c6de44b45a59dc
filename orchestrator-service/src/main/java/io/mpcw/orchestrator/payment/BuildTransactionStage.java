package io.mpcw.orchestrator.payment;

import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.tx.Sequence;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code approved → signing}: builds the payment's transaction from the wallet's coins (largest
 * first, fee = rate × key-path vsize, change back to the wallet above dust, RBF signalled) and
 * reserves the coins in the same database transaction as the move, so two payments never hold one
 * coin. A wallet whose keys are not ready yet makes the payment wait; too little money fails it.
 */
@Component
class BuildTransactionStage implements StageHandler {
  private static final Duration WAIT = Duration.ofSeconds(1);
  private final Wallets wallets;
  private final Coins coins;
  private final Payments payments;
  private final ChainClient chain;

  BuildTransactionStage(Wallets wallets, Coins coins, Payments payments, ChainClient chain) {
    this.wallets = wallets;
    this.coins = coins;
    this.payments = payments;
    this.chain = chain;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.APPROVED;
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    io.mpcw.orchestrator.transaction.Transaction tx = claim.tx();
    Optional<Wallet> found = wallets.find(tx.walletId());
    if (found.isEmpty() || !found.get().isReady() || found.get().address().isEmpty()) {
      return new StageOutcome.Retry(WAIT, "the wallet has no keys yet");
    }
    Wallet wallet = found.get();
    try {
      coins.refresh(wallet.id(), chain.unspent(wallet.address().get()));
    } catch (ChainUnavailableException | ChainRejectedException e) {
      return new StageOutcome.Retry(WAIT, "chain: " + e.getMessage());
    }
    byte[] recipient = SegwitAddress.decode(tx.recipient(), wallet.bitcoinNetwork()).scriptPubKey();
    byte[] change = wallet.scriptPubKey().orElseThrow();
    List<Coin> free = coins.free(wallet.id());
    Optional<CoinSelection.Selected> selected =
        CoinSelection.select(free, tx.amountSats(), tx.feeRateSatVb(), recipient, change);
    if (selected.isEmpty()) {
      return new StageOutcome.Advance(
          TransactionState.FAILED,
          "insufficient funds: "
              + CoinSelection.total(free)
              + " sats available in confirmed, unreserved coins; "
              + tx.amountSats()
              + " sats plus the fee needed");
    }
    CoinSelection.Selected spend = selected.get();
    Transaction.Builder builder = Transaction.builder().version(2).lockTime(0);
    spend.coins().forEach(c -> builder.addInput(c.outPoint(), Sequence.RBF));
    builder.addOutput(tx.amountSats(), recipient);
    if (spend.changeSats() > 0) {
      builder.addOutput(spend.changeSats(), change);
    }
    Transaction unsigned = builder.build();
    List<TxOut> prevouts = spend.coins().stream().map(Coin::asTxOut).toList();
    return new StageOutcome.Advance(
        TransactionState.SIGNING,
        "built "
            + unsigned.txid().toDisplayHex()
            + ": "
            + spend.coins().size()
            + " input(s), fee "
            + spend.feeSats()
            + " sats, change "
            + spend.changeSats()
            + " sats",
        () -> {
          coins.reserve(tx.id(), spend.coins());
          payments.built(tx.id(), unsigned, prevouts, spend.feeSats(), spend.changeSats());
        });
  }
}
