package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.Txid;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * A block of the simulated chain. Its hash is the double SHA-256 of a simple header (previous hash,
 * height, a hash over the txids, time, nonce), shown reversed like bitcoind's. This is not
 * Bitcoin's header format: nothing is proven by work, the hash only has to be deterministic and
 * unique. The random nonce keeps a block re-mined after {@code invalidateblock} from reusing the
 * invalidated block's hash.
 *
 * @param hash display hex of the header hash
 * @param prevHash display hex of the parent's hash (64 zeros for the genesis block)
 * @param time Unix seconds
 */
public record Block(
    String hash, String prevHash, long height, long time, long nonce, List<Transaction> txs) {

  static final String NO_PARENT = "0".repeat(64);

  /** Fixed, like regtest's: every simulator starts from the same genesis block. */
  private static final long GENESIS_TIME = 1_296_688_602L;

  public Block {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(prevHash, "prevHash");
    txs = List.copyOf(txs);
  }

  /** The block with these contents and its computed hash. */
  public static Block of(
      String prevHash, long height, long time, long nonce, List<Transaction> txs) {
    return new Block(
        hashOf(prevHash, height, time, nonce, txs), prevHash, height, time, nonce, txs);
  }

  static Block genesis() {
    return of(NO_PARENT, 0, GENESIS_TIME, 0, List.of());
  }

  /** Display hex of the hash over the txids, the block's stand-in for a merkle root. */
  public String txRoot() {
    return Hashes.toDisplayHex(txRootOf(txs));
  }

  private static String hashOf(
      String prevHash, long height, long time, long nonce, List<Transaction> txs) {
    ByteBuffer header = ByteBuffer.allocate(32 + 8 + 32 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    header.put(Hashes.fromDisplayHex(prevHash)).putLong(height);
    header.put(txRootOf(txs)).putLong(time).putLong(nonce);
    return Hashes.toDisplayHex(Hashes.sha256d(header.array()));
  }

  private static byte[] txRootOf(List<Transaction> txs) {
    ByteArrayOutputStream txids = new ByteArrayOutputStream(txs.size() * Txid.LENGTH);
    for (Transaction tx : txs) {
      txids.writeBytes(tx.txid().internalBytes());
    }
    return Hashes.sha256d(txids.toByteArray());
  }
}
