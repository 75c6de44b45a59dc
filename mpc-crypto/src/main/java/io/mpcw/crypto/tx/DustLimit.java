package io.mpcw.crypto.tx;

/**
 * The smallest output value Bitcoin Core relays, at its default dust relay fee of 3 sat/vB: an
 * output is dust when spending it would cost more than it is worth.
 *
 * <p>The cost counts the output itself plus a typical input that spends it: 67 vbytes for a segwit
 * input (its witness is discounted), 148 bytes for a legacy one. Hence P2TR and P2WSH 330 sats,
 * P2WPKH 294, P2PKH 546. Unspendable outputs (OP_RETURN) have no dust limit.
 */
public final class DustLimit {
  public static final long P2TR = 330;
  public static final long P2WPKH = 294;
  public static final long P2WSH = 330;

  /** Bitcoin Core's DUST_RELAY_TX_FEE, in sat/kvB. */
  private static final long DUST_RELAY_FEE_SAT_PER_KVB = 3_000;

  private static final int SEGWIT_SPEND_SIZE =
      32 + 4 + 1 + 107 / TransactionSizes.WITNESS_SCALE + 4;
  private static final int LEGACY_SPEND_SIZE = 32 + 4 + 1 + 107 + 4;
  private static final int OP_RETURN = 0x6a;
  private static final int MAX_SCRIPT_SIZE = 10_000;

  private DustLimit() {}

  /** The dust limit in sats of an output locked by {@code scriptPubKey}. */
  public static long of(byte[] scriptPubKey) {
    if (isUnspendable(scriptPubKey)) {
      return 0;
    }
    int outputSize = 8 + ByteWriter.compactSizeLength(scriptPubKey.length) + scriptPubKey.length;
    int spendSize = isWitnessProgram(scriptPubKey) ? SEGWIT_SPEND_SIZE : LEGACY_SPEND_SIZE;
    return TransactionSizes.ceilDiv(
        (long) (outputSize + spendSize) * DUST_RELAY_FEE_SAT_PER_KVB, 1_000);
  }

  /** Whether {@code output} is below its dust limit and so would not be relayed. */
  public static boolean isDust(TxOut output) {
    return output.valueSats() < of(output.scriptPubKey());
  }

  private static boolean isUnspendable(byte[] script) {
    return (script.length > 0 && (script[0] & 0xff) == OP_RETURN)
        || script.length > MAX_SCRIPT_SIZE;
  }

  /** {@code OP_0..OP_16} followed by one direct push of 2..40 bytes (BIP-141). */
  private static boolean isWitnessProgram(byte[] script) {
    if (script.length < 4 || script.length > 42) {
      return false;
    }
    int version = script[0] & 0xff;
    if (version != 0x00 && (version < 0x51 || version > 0x60)) {
      return false;
    }
    return (script[1] & 0xff) + 2 == script.length;
  }
}
