package io.mpcw.protocol.signing;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import java.security.SecureRandom;
import java.util.List;

/** Transactions and scripts for signing tests. */
final class Txs {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Txs() {}

  static byte[] p2tr(byte[] xOnly) {
    byte[] script = new byte[34];
    script[0] = 0x51;
    script[1] = 0x20;
    System.arraycopy(xOnly, 0, script, 2, 32);
    return script;
  }

  static byte[] randomP2tr() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return p2tr(key);
  }

  static String randomTxid() {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return Hex.encode(id);
  }

  /** A transaction spending {@code inputs} outputs and paying {@code outputs}. */
  static Transaction tx(int version, int inputs, List<TxOut> outputs) {
    Transaction.Builder b = Transaction.builder().version(version);
    for (int i = 0; i < inputs; i++) {
      b.addInput(OutPoint.of(randomTxid(), i));
    }
    outputs.forEach(b::addOutput);
    return b.build();
  }
}
