package io.mpcw.orchestrator.payment;

import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.tx.Sequence;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * {@code approved → signing}: builds the payment's transaction from the wallet's coins (largest
 * first, fee = rate × key-path vsize, change back to the wallet above dust, RBF signalled). The
 * coins are picked, locked ({@code FOR UPDATE SKIP LOCKED}) and reserved, one statement per coin,
 * inside the state change's database transaction ({@link Coins#take}), so concurrent payments take
 * disjoint coins and never collide; the change output is recorded there too, to be spendable once a
 * block confirms it. No chain call on the way: the {@link ChainFollower} keeps the coins. A wallet
 * whose keys are not ready yet makes the payment wait. When nothing is left to take the move rolls
 * back, and the next attempt first looks without locks: too little money fails the payment, once
 * the follower has read the chain up to its tip; coins that were being taken are taken then.
 */
@Component
class BuildTransactionStage implements StageHandler {
  private static final Duration WAIT = Duration.ofSeconds(1);
  private static final int CHANGE_VOUT = 1;
  private final Wallets wallets;
  private final Coins coins;
  private final ChainFollower follower;
  private final ImportedTransactions imports;
  private final ImportedBuild importedBuild;

  BuildTransactionStage(
      Wallets wallets,
      Coins coins,
      ChainFollower follower,
      ImportedTransactions imports,
      ImportedBuild importedBuild) {
    this.wallets = wallets;
    this.coins = coins;
    this.follower = follower;
    this.imports = imports;
    this.importedBuild = importedBuild;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.APPROVED;
  }

  /**
   * A payment the vote approves is built inside the move that approves it (one database transaction
   * for both moves), when its wallet is ready and coins are there to take: the first attempt of
   * {@link #handle} with nothing to wait for. When nothing is left to take the approval commits on
   * its own and {@link #handle} looks again, as for any attempt that found nothing.
   */
  @Override
  public Optional<StageOutcome.AdvanceWith> onEntry(TransactionRecord entering) {
    if (entering.imported()) {
      return Optional.empty();
    }
    return readyWallet(entering).map(wallet -> take(entering, wallet));
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    TransactionRecord tx = claim.tx();
    Optional<Wallet> found = readyWallet(tx);
    if (found.isEmpty()) {
      return new StageOutcome.Retry(WAIT, "the wallet has no keys yet");
    }
    Wallet wallet = found.get();
    Optional<io.mpcw.crypto.psbt.Psbt> imported =
        tx.imported() ? imports.find(tx.id()) : Optional.empty();
    if (imported.isPresent()) {
      return importedBuild.build(tx.id(), wallet, imported.get());
    }
    // The first attempt takes the coins straight away: nearly always they are there. A later one
    // (the first found nothing to take) looks without locks first: is the wallet short of money?
    if (tx.stageAttempts() > 1) {
      Optional<StageOutcome> shortOfMoney =
          shortOfMoney(
              tx, wallet, recipientScript(tx, wallet), wallet.scriptPubKey().orElseThrow());
      if (shortOfMoney.isPresent()) {
        return shortOfMoney.get();
      }
    }
    return take(tx, wallet);
  }

  private Optional<Wallet> readyWallet(TransactionRecord tx) {
    return wallets
        .find(tx.walletId())
        .filter(wallet -> wallet.isReady() && wallet.address().isPresent());
  }

  private static byte[] recipientScript(TransactionRecord tx, Wallet wallet) {
    return SegwitAddress.decode(tx.recipient(), wallet.bitcoinNetwork()).scriptPubKey();
  }

  /** Takes the coins and builds the transaction, inside the move to {@code signing}. */
  private StageOutcome.AdvanceWith take(TransactionRecord tx, Wallet wallet) {
    byte[] recipient = recipientScript(tx, wallet);
    byte[] change = wallet.scriptPubKey().orElseThrow();
    return new StageOutcome.AdvanceWith(
        TransactionState.SIGNING,
        row -> {
          // throws (rolling the move back) when no coin is left to take
          CoinSelection.Selected spend =
              coins.take(
                  tx.id(), wallet.id(), tx.amountSats(), tx.feeRateSatVb(), recipient, change);
          Transaction.Builder builder = Transaction.builder().version(2).lockTime(0);
          spend.coins().forEach(c -> builder.addInput(c.outPoint(), Sequence.RBF));
          builder.addOutput(tx.amountSats(), recipient);
          if (spend.changeSats() > 0) {
            builder.addOutput(spend.changeSats(), change);
          }
          Transaction unsigned = builder.build();
          String txid = unsigned.txid().toDisplayHex();
          List<TxOut> prevouts = spend.coins().stream().map(Coin::asTxOut).toList();
          if (spend.changeSats() > 0) {
            Coins.recordChange(row, wallet.id(), txid, CHANGE_VOUT, spend.changeSats(), change);
          }
          Payments.built(row, wallet, unsigned, prevouts, spend.feeSats(), spend.changeSats());
          return "built "
              + txid
              + ": "
              + spend.coins().size()
              + " input(s), fee "
              + spend.feeSats()
              + " sats, change "
              + spend.changeSats()
              + " sats";
        });
  }

  /**
   * What becomes of the payment when the wallet's free coins cannot pay it: it waits while the
   * follower has not read up to the chain's tip, then fails; empty when they can pay.
   */
  private Optional<StageOutcome> shortOfMoney(
      TransactionRecord tx, Wallet wallet, byte[] recipient, byte[] change) {
    BooleanSupplier fundsShort =
        () ->
            coins
                .select(wallet.id(), tx.amountSats(), tx.feeRateSatVb(), recipient, change)
                .isEmpty();
    if (!fundsShort.getAsBoolean()) {
      return Optional.empty();
    }
    try {
      if (!follower.caughtUp()) {
        return Optional.of(
            new StageOutcome.Retry(WAIT, "coins not read up to the chain's tip yet"));
      }
    } catch (ChainUnavailableException | ChainRejectedException e) {
      return Optional.of(new StageOutcome.Retry(WAIT, "chain: " + e.getMessage()));
    }
    // looked at again once the follower is known to be caught up: a coin it recorded between the
    // first look and that answer would otherwise fail a payment the wallet can pay
    if (!fundsShort.getAsBoolean()) {
      return Optional.empty();
    }
    return Optional.of(
        new StageOutcome.Advance(
            TransactionState.FAILED,
            "insufficient funds: "
                + coins.freeTotal(wallet.id())
                + " sats available in confirmed, unreserved coins; "
                + tx.amountSats()
                + " sats plus the fee needed"));
  }
}
