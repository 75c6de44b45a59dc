package io.mpcw.orchestrator.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.psbt.Psbt;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.WalletStatus;
import io.mpcw.types.transaction.TransactionState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a PSBT's build does with an input that is not (yet) one of the wallet's recorded coins, with
 * the coins and the follower's answer as fakes, so the order of the looks is what is tested.
 */
class ImportedBuildTest {
  /** An x-only key (the generator's x): any valid output key gives the wallet a script. */
  private static final byte[] OUTPUT_KEY =
      Hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

  private static final byte[] RECIPIENT =
      Hex.decode("5120" + "11".repeat(32)); // another taproot output

  private final Wallet wallet =
      new Wallet(
          UUID.randomUUID(),
          "imported",
          3,
          "regtest",
          Optional.empty(),
          WalletStatus.READY,
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.of(OUTPUT_KEY),
          false,
          Instant.EPOCH,
          Optional.empty(),
          0);

  private final Coin coin = new Coin("aa".repeat(32), 1, 100_000, script());
  private final RecordedCoins coins = new RecordedCoins();
  private final AnsweringFollower follower = new AnsweringFollower();
  private final ImportedBuild build = new ImportedBuild(coins, follower);

  @Test
  void aCoinTheFollowerRecordsWhileAskedWhetherItCaughtUpIsSpentNotRefused() {
    follower.beforeAnswering = () -> coins.record(coin); // the block came in between the two looks

    StageOutcome outcome = build.build(UUID.randomUUID(), wallet, psbtSpending(coin));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            StageOutcome.AdvanceWith.class,
            moved -> assertThat(moved.to()).isEqualTo(TransactionState.SIGNING));
  }

  @Test
  void aCoinStillUnrecordedOnceTheFollowerCaughtUpFailsThePaymentNamingTheOutpoint() {
    StageOutcome outcome = build.build(UUID.randomUUID(), wallet, psbtSpending(coin));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            StageOutcome.Advance.class,
            failed -> {
              assertThat(failed.to()).isEqualTo(TransactionState.FAILED);
              assertThat(failed.reason())
                  .contains("not a confirmed, free coin of this wallet")
                  .contains("aa".repeat(32) + ":1");
            });
  }

  @Test
  void aCoinUnrecordedWhileTheFollowerIsBehindTheTipWaitsForIt() {
    follower.caughtUp = false;

    StageOutcome outcome = build.build(UUID.randomUUID(), wallet, psbtSpending(coin));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            StageOutcome.Retry.class,
            retry -> assertThat(retry.note()).contains("not read up to the chain's tip"));
  }

  @Test
  void aRecordedCoinIsSpentWithoutAskingTheFollower() {
    coins.record(coin);
    follower.beforeAnswering =
        () -> {
          throw new AssertionError("the follower was asked though every input is a free coin");
        };

    StageOutcome outcome = build.build(UUID.randomUUID(), wallet, psbtSpending(coin));

    assertThat(outcome).isInstanceOf(StageOutcome.AdvanceWith.class);
  }

  private byte[] script() {
    return wallet.scriptPubKey().orElseThrow();
  }

  private Psbt psbtSpending(Coin spent) {
    Transaction unsigned =
        Transaction.builder()
            .version(2)
            .lockTime(0)
            .addInput(OutPoint.of(spent.txid(), spent.vout()))
            .addOutput(new TxOut(40_000, RECIPIENT))
            .addOutput(new TxOut(spent.valueSats() - 40_500, script()))
            .build();
    return Psbt.create(unsigned)
        .withWitnessUtxo(0, new TxOut(spent.valueSats(), spent.scriptPubKey()));
  }

  /** The wallet's free coins as the follower has recorded them so far. */
  private static final class RecordedCoins extends Coins {
    private final Map<String, Coin> recorded = new HashMap<>();

    RecordedCoins() {
      super(null);
    }

    void record(Coin coin) {
      recorded.put(coin.txid() + ":" + coin.vout(), coin);
    }

    @Override
    public Optional<Coin> freeCoin(UUID walletId, String txid, long vout) {
      return Optional.ofNullable(recorded.get(txid + ":" + vout));
    }
  }

  /** A follower whose answer is set by the test, and which may record a block as it answers. */
  private static final class AnsweringFollower extends ChainFollower {
    private Runnable beforeAnswering = () -> {};
    private boolean caughtUp = true;

    AnsweringFollower() {
      super(null, null, null, null, null, null, null, null, null);
    }

    @Override
    public boolean caughtUp() {
      beforeAnswering.run();
      return caughtUp;
    }
  }
}
