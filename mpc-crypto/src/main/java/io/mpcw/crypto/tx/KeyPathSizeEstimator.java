package io.mpcw.crypto.tx;

import java.util.List;

/**
 * The size a transaction will have once every input is signed through the Taproot key path with
 * SIGHASH_DEFAULT: each witness is one 64-byte signature, so the size is known exactly before
 * signing and the fee can be fixed up front.
 */
public final class KeyPathSizeEstimator {
  /** Witness of one key-path input: item count (1), signature length (1), signature (64). */
  static final int KEY_PATH_WITNESS_SIZE = 1 + 1 + 64;

  private static final int VERSION_AND_LOCK_TIME_SIZE = 4 + 4;

  /** BIP-144 marker and flag bytes. */
  private static final int SEGWIT_HEADER_SIZE = 2;

  /** A P2TR input before signing: outpoint, empty scriptSig, sequence. */
  private static final int P2TR_INPUT_BASE_SIZE = OutPoint.SIZE + 1 + 4;

  private KeyPathSizeEstimator() {}

  /** Weight once signed, for {@code inputCount} key-path P2TR inputs and {@code outputs}. */
  public static long weight(int inputCount, List<TxOut> outputs) {
    if (inputCount < 1) {
      throw new IllegalArgumentException("a transaction needs at least one input");
    }
    int baseSize =
        VERSION_AND_LOCK_TIME_SIZE
            + ByteWriter.compactSizeLength(inputCount)
            + inputCount * P2TR_INPUT_BASE_SIZE
            + outputsSize(outputs);
    return weightOf(baseSize, inputCount);
  }

  /** Virtual size once signed, for {@code inputCount} key-path P2TR inputs and {@code outputs}. */
  public static long vsize(int inputCount, List<TxOut> outputs) {
    return TransactionSizes.ceilDiv(weight(inputCount, outputs), TransactionSizes.WITNESS_SCALE);
  }

  /**
   * Virtual size of {@code unsigned} once each of its inputs carries a 64-byte key-path signature.
   * Any witness it already has is ignored.
   */
  public static long vsize(Transaction unsigned) {
    long weight = weightOf(unsigned.baseSize(), unsigned.inputs().size());
    return TransactionSizes.ceilDiv(weight, TransactionSizes.WITNESS_SCALE);
  }

  private static long weightOf(int baseSize, int inputCount) {
    long witnessSize = SEGWIT_HEADER_SIZE + (long) inputCount * KEY_PATH_WITNESS_SIZE;
    return (long) baseSize * TransactionSizes.WITNESS_SCALE + witnessSize;
  }

  private static int outputsSize(List<TxOut> outputs) {
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("a transaction needs at least one output");
    }
    return TransactionSizes.outputsSize(outputs);
  }
}
