package io.mpcw.chain;

import java.util.List;
import java.util.Optional;

/**
 * A block as a wallet follows it: what each transaction spends and what it pays.
 *
 * @param previousHash empty for the genesis block
 */
public record ChainBlock(
    long height, String hash, Optional<String> previousHash, List<Tx> transactions) {

  public ChainBlock {
    transactions = List.copyOf(transactions);
  }

  /**
   * One transaction of the block.
   *
   * @param spends the outputs its inputs spend, as {@code txid:vout} (none for a coinbase)
   */
  public record Tx(String txid, List<String> spends, List<Output> outputs) {
    public Tx {
      spends = List.copyOf(spends);
      outputs = List.copyOf(outputs);
    }
  }

  /** An output: its index, value and script. */
  public record Output(int vout, long valueSats, String scriptPubKeyHex) {}
}
