package io.mpcw.chain.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.TxStatus;
import io.mpcw.chain.Utxo;
import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Sequence;
import io.mpcw.crypto.tx.SighashType;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.Witness;
import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Taproot key-path spends through {@link BitcoindRpcClient} against the simulator's ledger.
 */
class TransactionAcceptanceTest {
  private static final long FUNDS = 100_000;
  private static final long FEE = 500;

  private final TestKey key = new TestKey(7);
  private final TestKey other = new TestKey(9);
  private ChainSimulator chain;
  private BitcoindRpcClient client;

  @BeforeEach
  void start() {
    chain = ChainSimulator.builder().credentials("mpcw", "pw").build().start();
    client = BitcoindRpcClient.create(chain.url(), "mpcw", "pw");
  }

  @AfterEach
  void stop() {
    chain.close();
  }

  private Utxo fundedCoin() {
    return fundedCoin(FUNDS);
  }

  private Utxo fundedCoin(long sats) {
    String txid = client.sendToAddress(key.address(), sats);
    chain.mineNow();
    return client.unspent(key.address()).stream()
        .filter(u -> u.txid().equals(txid))
        .findFirst()
        .orElseThrow();
  }

  private static void assertRefused(ThrowingCallable call, int code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ChainRejectedException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }

  @Test
  void faucetPaymentShowsInScanOnlyOnceConfirmed() {
    String txid = client.sendToAddress(key.address(), FUNDS);

    assertThat(client.unspent(key.address())).isEmpty();
    assertThat(client.transaction(txid)).get().extracting(TxStatus::confirmations).isEqualTo(0L);

    chain.mineNow();

    assertThat(client.unspent(key.address()))
        .containsExactly(new Utxo(txid, 0, FUNDS, Hex.encode(key.scriptPubKey()), 1));
    assertThat(client.blockHeight()).isEqualTo(1);
  }

  @Test
  void spendGainsConfirmationsBlockByBlock() {
    Transaction spend = key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - FEE)));

    String txid = client.broadcast(spend.toHex());
    assertThat(txid).isEqualTo(spend.txid().toDisplayHex());
    TxStatus pending = client.transaction(txid).orElseThrow();
    assertThat(pending.confirmations()).isZero();
    assertThat(pending.blockHash()).isEmpty();
    assertThat(pending.rawHex()).isEqualTo(spend.toHex());

    String block = client.mine(1, key.address()).get(0);
    assertThat(client.transaction(txid).orElseThrow().confirmations()).isEqualTo(1);
    assertThat(client.transaction(txid).orElseThrow().blockHash()).contains(block);

    chain.mineNow();
    assertThat(client.transaction(txid).orElseThrow().confirmations()).isEqualTo(2);
    assertThat(client.unspent(key.address())).isEmpty();
    assertThat(client.unspent(other.address()))
        .extracting(Utxo::valueSats)
        .containsExactly(FUNDS - FEE);
  }

  @Test
  void acceptsSignatureWithExplicitSighashAll() {
    Transaction spend =
        key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - FEE)), SighashType.ALL);

    assertThat(spend.witness(0).item(0)).hasSize(65);
    assertThat(client.broadcast(spend.toHex())).isEqualTo(spend.txid().toDisplayHex());
  }

  @Test
  void refusesSignatureWithOneByteChanged() {
    Transaction spend = key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - FEE)));
    byte[] signature = spend.witness(0).item(0);
    signature[10] ^= 0x01;
    Transaction tampered = spend.withKeyPathSignature(0, signature);

    assertRefused(
        () -> client.broadcast(tampered.toHex()),
        -26,
        "mandatory-script-verify-flag-failed (Invalid Schnorr signature)");
    assertThat(client.transaction(tampered.txid().toDisplayHex())).isEmpty();
  }

  @Test
  void refusesSignatureOverTheWrongSpentAmount() {
    Utxo coin = fundedCoin();
    Utxo lying =
        new Utxo(coin.txid(), coin.vout(), coin.valueSats() - 1, coin.scriptPubKeyHex(), 1);
    Transaction spend = key.spend(List.of(lying), List.of(other.pay(FUNDS - FEE)));

    assertRefused(() -> client.broadcast(spend.toHex()), -26, "Invalid Schnorr signature");
  }

  @Test
  void refusesSignatureByAnotherKey() {
    Transaction spend = other.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - FEE)));

    assertRefused(() -> client.broadcast(spend.toHex()), -26, "Invalid Schnorr signature");
  }

  @Test
  void refuses65ByteSignatureWithDefaultHashType() {
    Transaction spend = key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - FEE)));
    byte[] signature = Arrays.copyOf(spend.witness(0).item(0), 65);
    Transaction bad = spend.withWitness(0, Witness.of(signature));

    assertRefused(() -> client.broadcast(bad.toHex()), -26, "Invalid Schnorr signature hash type");
  }

  @Test
  void refusesDoubleSpendOfAMempoolTransaction() {
    Utxo coin = fundedCoin();
    client.broadcast(key.spend(List.of(coin), List.of(other.pay(FUNDS - FEE))).toHex());
    Transaction second = key.spend(List.of(coin), List.of(key.pay(FUNDS - 2 * FEE)));

    assertRefused(() -> client.broadcast(second.toHex()), -26, "txn-mempool-conflict");
  }

  @Test
  void refusesDoubleSpendOfAConfirmedSpend() {
    Utxo coin = fundedCoin();
    client.broadcast(key.spend(List.of(coin), List.of(other.pay(FUNDS - FEE))).toHex());
    chain.mineNow();
    Transaction second = key.spend(List.of(coin), List.of(key.pay(FUNDS - 2 * FEE)));

    assertRefused(() -> client.broadcast(second.toHex()), -25, "bad-txns-inputs-missingorspent");
  }

  @Test
  void refusesSpendOfAnOutputThatNeverExisted() {
    Utxo ghost = new Utxo("ab".repeat(32), 0, FUNDS, Hex.encode(key.scriptPubKey()), 1);
    Transaction spend = key.spend(List.of(ghost), List.of(other.pay(FUNDS - FEE)));

    assertRefused(() -> client.broadcast(spend.toHex()), -25, "bad-txns-inputs-missingorspent");
  }

  @Test
  void refusesOutputsWorthMoreThanTheInputs() {
    Transaction spend = key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS + 1)));

    assertRefused(
        () -> client.broadcast(spend.toHex()),
        -26,
        "bad-txns-in-belowout, value in (0.00100000) < value out (0.00100001)");
  }

  @Test
  void refusesFeeBelowTheMinimumRelayFee() {
    Transaction spend = key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - 10)));

    assertRefused(() -> client.broadcast(spend.toHex()), -26, "min relay fee not met");
  }

  @Test
  void refusesFeeAboveTheDefaultMaxFeeRate() {
    // 0.05 BTC of fee for ~110 vB is far above bitcoind's default 0.10 BTC/kvB.
    Transaction spend = key.spend(List.of(fundedCoin(5_000_000)), List.of(other.pay(10_000)));

    assertRefused(() -> client.broadcast(spend.toHex()), -25, "Fee exceeds maximum");
  }

  @Test
  void refusesDustOutput() {
    Transaction spend =
        key.spend(List.of(fundedCoin()), List.of(other.pay(329), key.pay(FUNDS - FEE - 329)));

    assertRefused(() -> client.broadcast(spend.toHex()), -26, "dust");
  }

  @Test
  void refusesUnparseableTransaction() {
    assertRefused(() -> client.broadcast("02000000ff"), -22, "TX decode failed");
    assertRefused(() -> client.broadcast("not hex"), -22, "TX decode failed");
  }

  @Test
  void refusesMintingThroughANullPrevout() {
    Transaction forged =
        Transaction.builder()
            .addInput(
                new TxIn(
                    new OutPoint(
                        io.mpcw.crypto.tx.Txid.fromInternalBytes(new byte[32]), 0xffffffffL),
                    new byte[] {1, 2},
                    Sequence.FINAL))
            .addOutput(key.pay(FUNDS))
            .build();

    assertRefused(() -> client.broadcast(forged.toHex()), -26, "bad-txns-prevout-null");
  }

  @Test
  void refusesSpendOfANonTaprootOutput() {
    String p2wpkh = SegwitAddress.encode(Network.REGTEST, 0, new byte[20]);
    String txid = client.sendToAddress(p2wpkh, FUNDS);
    chain.mineNow();
    Utxo coin = client.unspent(p2wpkh).get(0);
    assertThat(coin.txid()).isEqualTo(txid);
    Transaction spend = key.spend(List.of(coin), List.of(other.pay(FUNDS - FEE)));

    assertRefused(() -> client.broadcast(spend.toHex()), -26, "only P2TR key-path spends");
  }

  @Test
  void acceptsChainedSpendOfAnUnconfirmedOutputAndConfirmsBothInOneBlock() {
    Transaction parent = key.spend(List.of(fundedCoin()), List.of(key.pay(FUNDS - FEE)));
    client.broadcast(parent.toHex());
    Transaction child =
        key.spend(List.of(TestKey.coinOf(parent, 0)), List.of(other.pay(FUNDS - 2 * FEE)));

    client.broadcast(child.toHex());
    chain.mineNow();

    assertThat(client.transaction(parent.txid().toDisplayHex()).orElseThrow().confirmations())
        .isEqualTo(1);
    assertThat(client.transaction(child.txid().toDisplayHex()).orElseThrow().confirmations())
        .isEqualTo(1);
    assertThat(client.unspent(other.address()))
        .extracting(Utxo::valueSats)
        .containsExactly(FUNDS - 2 * FEE);
  }

  @Test
  void rebroadcastOfAMempoolOrConfirmedTransactionReturnsItsTxid() {
    Transaction spend = key.spend(List.of(fundedCoin()), List.of(other.pay(FUNDS - FEE)));
    String txid = client.broadcast(spend.toHex());

    assertThat(client.broadcast(spend.toHex())).isEqualTo(txid);
    chain.mineNow();
    assertThat(client.broadcast(spend.toHex())).isEqualTo(txid);
  }

  @Test
  void faucetRefusesDustAndInvalidAddresses() {
    assertRefused(() -> client.sendToAddress(key.address(), 100), -4, "amount too small");
    assertRefused(() -> client.sendToAddress("bc1qnotregtest", FUNDS), -5, "Invalid address");
  }
}
