package io.mpcw.chain.simulator.store;

import io.mpcw.chain.simulator.ledger.Block;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.util.Hex;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of one block record: height, time, nonce, parent hash and the raw transactions. The
 * hash is not stored but recomputed on reading, so a record cannot claim a hash it does not have.
 */
final class BlockCodec {
  private BlockCodec() {}

  static byte[] encode(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(block.height());
      out.writeLong(block.time());
      out.writeLong(block.nonce());
      out.write(Hex.decode(block.prevHash()));
      out.writeInt(block.txs().size());
      for (Transaction tx : block.txs()) {
        byte[] raw = tx.serialize();
        out.writeInt(raw.length);
        out.write(raw);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IOException when the payload is truncated or holds an unparseable transaction
   */
  static Block decode(DataInputStream in) throws IOException {
    long height = in.readLong();
    long time = in.readLong();
    long nonce = in.readLong();
    byte[] prevHash = in.readNBytes(32);
    if (prevHash.length != 32) {
      throw new IOException("truncated block record");
    }
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("negative transaction count " + count);
    }
    List<Transaction> txs = new ArrayList<>(Math.min(count, 10_000));
    for (int i = 0; i < count; i++) {
      int length = in.readInt();
      if (length <= 0 || length > Transaction.MAX_SERIALIZED_SIZE) {
        throw new IOException("transaction length " + length + " out of range");
      }
      byte[] raw = in.readNBytes(length);
      if (raw.length != length) {
        throw new IOException("truncated transaction");
      }
      try {
        txs.add(Transaction.parse(raw));
      } catch (IllegalArgumentException e) {
        throw new IOException("unparseable transaction in block " + height, e);
      }
    }
    return Block.of(Hex.encode(prevHash), height, time, nonce, txs);
  }
}
