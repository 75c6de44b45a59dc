package io.mpcw.chain.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.chain.BitcoindRpcClient;
import io.mpcw.chain.Utxo;
import io.mpcw.crypto.tx.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block file: a restarted simulator has the same chain and UTXOs, not the mempool. */
class PersistenceTest {
  private final TestKey key = new TestKey(5);
  private final TestKey other = new TestKey(6);

  @TempDir Path dir;

  private ChainSimulator start() {
    return ChainSimulator.builder().dataDir(dir).build().start();
  }

  @Test
  void restartKeepsHeightBlocksAndUnspentOutputsButNotTheMempool() {
    String tip;
    List<Utxo> unspent;
    String pending;
    try (ChainSimulator chain = start()) {
      BitcoindRpcClient client = BitcoindRpcClient.create(chain.url(), "", "");
      client.sendToAddress(key.address(), 80_000);
      chain.mineNow();
      Transaction spend =
          key.spend(client.unspent(key.address()), List.of(other.pay(30_000), key.pay(49_000)));
      client.broadcast(spend.toHex());
      tip = chain.mineNow();
      unspent = client.unspent(key.address());
      pending = client.sendToAddress(key.address(), 1_000);
    }

    try (ChainSimulator chain = start()) {
      BitcoindRpcClient client = BitcoindRpcClient.create(chain.url(), "", "");
      assertThat(client.blockHeight()).isEqualTo(2);
      assertThat(new RawRpc(chain.url()).call("getbestblockhash", "[]").result().asText())
          .isEqualTo(tip);
      assertThat(client.unspent(key.address())).isEqualTo(unspent);
      assertThat(client.unspent(other.address()))
          .extracting(Utxo::valueSats)
          .containsExactly(30_000L);
      assertThat(client.transaction(pending)).isEmpty();
    }
  }

  @Test
  void invalidatedBlocksStayGoneAfterRestart() {
    try (ChainSimulator chain = start()) {
      chain.mineNow();
      String second = chain.mineNow();
      chain.mineNow();
      new RawRpc(chain.url()).call("invalidateblock", "[\"" + second + "\"]");
      chain.mineNow();
    }

    try (ChainSimulator chain = start()) {
      assertThat(chain.height()).isEqualTo(2);
    }
  }

  @Test
  void incompleteLastRecordIsDroppedOnStart() throws IOException {
    try (ChainSimulator chain = start()) {
      chain.mineNow();
      chain.mineNow();
    }
    Files.write(
        dir.resolve("blocks.dat"), new byte[] {0x4d, 0x50, 0x57}, StandardOpenOption.APPEND);

    try (ChainSimulator chain = start()) {
      assertThat(chain.height()).isEqualTo(2);
      chain.mineNow();
    }
    try (ChainSimulator chain = start()) {
      assertThat(chain.height()).isEqualTo(3);
    }
  }

  @Test
  void secondSimulatorCannotShareTheDataDirectory() {
    try (ChainSimulator chain = start()) {
      assertThatThrownBy(this::start)
          .isInstanceOf(UncheckedIOException.class)
          .hasRootCauseMessage("data directory " + dir + " is used by another chain simulator");
    }
  }
}
