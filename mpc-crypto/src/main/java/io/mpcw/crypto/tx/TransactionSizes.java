package io.mpcw.crypto.tx;

import java.util.List;

/**
 * BIP-141 sizes, shared by a built transaction and the estimates made before one exists (fees,
 * dust): base bytes weigh {@link #WITNESS_SCALE}, witness bytes weigh 1.
 */
final class TransactionSizes {
  /** Witness scale factor of BIP-141: base bytes weigh 4, witness bytes weigh 1. */
  static final int WITNESS_SCALE = 4;

  private TransactionSizes() {}

  /** Size without witness data (BIP-141 "base size") of these inputs and outputs. */
  static int baseSize(List<TxIn> inputs, List<TxOut> outputs) {
    int size = 4 + ByteWriter.compactSizeLength(inputs.size());
    for (TxIn input : inputs) {
      size += input.serializedSize();
    }
    return size + outputsSize(outputs) + 4;
  }

  /** Size of the output count and the outputs. */
  static int outputsSize(List<TxOut> outputs) {
    int size = ByteWriter.compactSizeLength(outputs.size());
    for (TxOut output : outputs) {
      size += output.serializedSize();
    }
    return size;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
