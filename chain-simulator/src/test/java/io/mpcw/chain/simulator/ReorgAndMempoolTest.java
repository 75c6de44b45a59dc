package io.mpcw.chain.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.TxStatus;
import io.mpcw.chain.Utxo;
import io.mpcw.crypto.tx.Transaction;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** invalidateblock, dropmempool and the block queries, as a node operator would use them. */
class ReorgAndMempoolTest {
  private final TestKey key = new TestKey(3);
  private final TestKey other = new TestKey(4);
  private ChainSimulator chain;
  private BitcoindRpcClient client;
  private RawRpc rpc;

  @BeforeEach
  void start() {
    chain = ChainSimulator.builder().credentials("u", "p").build().start();
    client = BitcoindRpcClient.create(chain.url(), "u", "p");
    rpc = new RawRpc(chain.url(), "u", "p");
  }

  @AfterEach
  void stop() {
    chain.close();
  }

  @Test
  void invalidateBlockReturnsItsTransactionsToTheMempool() {
    String funding = client.sendToAddress(key.address(), 50_000);
    String fundingBlock = chain.mineNow();
    Utxo coin = client.unspent(key.address()).get(0);
    Transaction spend = key.spend(List.of(coin), List.of(other.pay(49_000)));
    String spendTxid = client.broadcast(spend.toHex());
    chain.mineNow();

    assertThat(rpc.call("invalidateblock", "[\"" + fundingBlock + "\"]").errorCode()).isZero();

    assertThat(client.blockHeight()).isZero();
    assertThat(client.transaction(funding)).get().extracting(TxStatus::confirmations).isEqualTo(0L);
    assertThat(client.transaction(spendTxid))
        .get()
        .extracting(TxStatus::confirmations)
        .isEqualTo(0L);
    assertThat(rpc.call("getmempoolinfo", "[]").result().path("size").asInt()).isEqualTo(2);
    assertThat(client.unspent(key.address())).isEmpty();

    String newBlock = chain.mineNow();
    assertThat(newBlock).isNotEqualTo(fundingBlock);
    assertThat(client.transaction(spendTxid).orElseThrow().blockHash()).contains(newBlock);
    assertThat(client.unspent(other.address()))
        .extracting(Utxo::valueSats)
        .containsExactly(49_000L);
  }

  @Test
  void invalidateBlockRefusesUnknownHashAndGenesis() {
    String genesis = rpc.call("getblockhash", "[0]").result().asText();

    assertThat(rpc.call("invalidateblock", "[\"" + "00".repeat(32) + "\"]").errorCode())
        .isEqualTo(-5);
    assertThat(rpc.call("invalidateblock", "[\"" + genesis + "\"]").errorCode()).isEqualTo(-8);
  }

  @Test
  void dropMempoolForgetsUnconfirmedTransactions() {
    String txid = client.sendToAddress(key.address(), 50_000);

    assertThat(rpc.call("dropmempool", "[]").result().asInt()).isEqualTo(1);

    assertThat(client.transaction(txid)).isEmpty();
    chain.mineNow();
    assertThat(client.unspent(key.address())).isEmpty();
  }

  @Test
  void blockQueriesDescribeTheChain() {
    String txid = client.sendToAddress(key.address(), 50_000);
    String hash = client.mine(1, key.address()).get(0);

    var info = rpc.call("getblockchaininfo", "[]").result();
    assertThat(info.path("chain").asText()).isEqualTo("regtest");
    assertThat(info.path("blocks").asLong()).isEqualTo(1);
    assertThat(info.path("bestblockhash").asText()).isEqualTo(hash);
    assertThat(rpc.call("getblockhash", "[1]").result().asText()).isEqualTo(hash);
    assertThat(rpc.call("getblockhash", "[2]").errorCode()).isEqualTo(-8);

    var block = rpc.call("getblock", "[\"" + hash + "\"]").result();
    String genesis = rpc.call("getblockhash", "[0]").result().asText();
    assertThat(block.path("height").asLong()).isEqualTo(1);
    assertThat(block.path("previousblockhash").asText()).isEqualTo(genesis);
    assertThat(block.path("tx").get(0).asText()).isEqualTo(txid);
    assertThat(rpc.call("getblock", "[\"" + "11".repeat(32) + "\"]").errorCode()).isEqualTo(-5);
  }

  @Test
  void rawTransactionOmitsConfirmationsWhileInTheMempool() {
    String txid = client.sendToAddress(key.address(), 50_000);

    var pending = rpc.call("getrawtransaction", "[\"" + txid + "\", true]").result();
    assertThat(pending.has("confirmations")).isFalse();
    assertThat(pending.has("blockhash")).isFalse();
    assertThat(pending.path("vout").get(0).path("value").decimalValue())
        .isEqualByComparingTo("0.0005");
    assertThat(pending.path("vout").get(0).path("scriptPubKey").path("address").asText())
        .isEqualTo(key.address());

    chain.mineNow();
    var confirmed = rpc.call("getrawtransaction", "[\"" + txid + "\", true]").result();
    assertThat(confirmed.path("confirmations").asLong()).isEqualTo(1);
    assertThat(rpc.call("getrawtransaction", "[\"" + txid + "\"]").result().asText())
        .isEqualTo(confirmed.path("hex").asText());
  }

  @Test
  void blockTimerMinesEmptyBlocksSoConfirmationsKeepGrowing() throws InterruptedException {
    try (ChainSimulator timed =
        ChainSimulator.builder().blockInterval(java.time.Duration.ofMillis(50)).build().start()) {
      long deadline = System.currentTimeMillis() + 5_000;
      while (timed.height() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(timed.height()).isGreaterThanOrEqualTo(3);
    }
  }
}
