package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Sequence;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Faucet payments: transactions that mint coins like a coinbase, with one input spending the null
 * outpoint (32 zero bytes, index 0xffffffff). Their scriptSig pushes a marker and 16 random bytes,
 * so every payment has its own txid, across restarts too.
 *
 * <p>Only the ledger creates them: {@code sendrawtransaction} refuses null prevouts, so nobody can
 * mint by hand-crafting one.
 */
final class FaucetTransactions {
  static final OutPoint NULL_PREVOUT =
      new OutPoint(Txid.fromInternalBytes(new byte[Txid.LENGTH]), 0xffffffffL);

  private static final byte[] MARKER = "mpcw-faucet".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 16;

  private final SecureRandom random = new SecureRandom();

  /** A transaction paying {@code sats} to {@code scriptPubKey} out of nothing. */
  Transaction pay(byte[] scriptPubKey, long sats) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] scriptSig = new byte[2 + MARKER.length + NONCE_BYTES];
    scriptSig[0] = (byte) MARKER.length;
    System.arraycopy(MARKER, 0, scriptSig, 1, MARKER.length);
    scriptSig[1 + MARKER.length] = (byte) NONCE_BYTES;
    System.arraycopy(nonce, 0, scriptSig, 2 + MARKER.length, NONCE_BYTES);
    return Transaction.builder()
        .addInput(new TxIn(NULL_PREVOUT, scriptSig, Sequence.FINAL))
        .addOutput(new TxOut(sats, scriptPubKey))
        .build();
  }

  /** Whether {@code tx} is a faucet payment (checked only on trusted paths: replay, reorg). */
  static boolean isFaucetPayment(Transaction tx) {
    if (tx.inputs().size() != 1 || !tx.inputs().get(0).outPoint().equals(NULL_PREVOUT)) {
      return false;
    }
    byte[] scriptSig = tx.inputs().get(0).scriptSig();
    return scriptSig.length > MARKER.length
        && Arrays.equals(scriptSig, 1, 1 + MARKER.length, MARKER, 0, MARKER.length);
  }
}
