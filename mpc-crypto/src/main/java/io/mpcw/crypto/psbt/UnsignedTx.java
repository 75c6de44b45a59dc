package io.mpcw.crypto.psbt;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxIn;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.tx.Txid;
import java.util.ArrayList;
import java.util.List;

/**
 * The transaction inside {@code PSBT_GLOBAL_UNSIGNED_TX}: always the legacy serialization (no
 * segwit marker) and every scriptSig empty. It may have no inputs or no outputs (BIP-174 allows
 * it), which {@link Transaction} does not, so it is read here.
 */
public record UnsignedTx(int version, List<TxIn> inputs, List<TxOut> outputs, long lockTime) {
  private static final int MIN_INPUT_SIZE = 41;
  private static final int MIN_OUTPUT_SIZE = 9;

  public UnsignedTx {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  static UnsignedTx parse(byte[] bytes) {
    PsbtReader in = new PsbtReader(bytes);
    int version = (int) in.readUInt32("version");
    long inputCount = in.readCompactSize("input count");
    if (inputCount > in.remaining() / MIN_INPUT_SIZE) {
      throw new PsbtFormatException(
          "unsigned transaction: input count " + inputCount + " too large");
    }
    List<TxIn> inputs = new ArrayList<>();
    for (int i = 0; i < inputCount; i++) {
      Txid txid = Txid.fromInternalBytes(in.readBytes(32, "input txid"));
      long vout = in.readUInt32("input vout");
      byte[] scriptSig = in.readVarBytes("scriptSig");
      if (scriptSig.length != 0) {
        throw new PsbtFormatException("unsigned transaction: input " + i + " has a scriptSig");
      }
      inputs.add(new TxIn(new OutPoint(txid, vout), scriptSig, in.readUInt32("sequence")));
    }
    long outputCount = in.readCompactSize("output count");
    if (outputCount > in.remaining() / MIN_OUTPUT_SIZE) {
      throw new PsbtFormatException(
          "unsigned transaction: output count " + outputCount + " too large");
    }
    List<TxOut> outputs = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      outputs.add(readTxOut(in));
    }
    long lockTime = in.readUInt32("lock time");
    if (in.remaining() != 0) {
      throw new PsbtFormatException(
          "unsigned transaction: " + in.remaining() + " trailing byte(s) (witness serialization?)");
    }
    return new UnsignedTx(version, inputs, outputs, lockTime);
  }

  static TxOut readTxOut(PsbtReader in) {
    long value = in.readInt64("output value");
    byte[] script = in.readVarBytes("scriptPubKey");
    try {
      return new TxOut(value, script);
    } catch (IllegalArgumentException e) {
      throw new PsbtFormatException(e.getMessage(), e);
    }
  }

  static UnsignedTx of(Transaction tx) {
    if (tx.hasWitness() || tx.inputs().stream().anyMatch(i -> i.scriptSig().length != 0)) {
      throw new IllegalArgumentException("a PSBT carries the transaction unsigned");
    }
    return new UnsignedTx(tx.version(), tx.inputs(), tx.outputs(), tx.lockTime());
  }

  /** As a {@link Transaction}: needs at least one input and one output. */
  public Transaction toTransaction() {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new PsbtFormatException("the transaction has no inputs or no outputs");
    }
    Transaction.Builder builder = Transaction.builder().version(version).lockTime(lockTime);
    inputs.forEach(builder::addInput);
    outputs.forEach(builder::addOutput);
    return builder.build();
  }

  byte[] serialize() {
    PsbtWriter out = new PsbtWriter().writeUInt32(version & 0xffffffffL);
    out.writeCompactSize(inputs.size());
    for (TxIn input : inputs) {
      out.writeBytes(input.outPoint().txid().internalBytes())
          .writeUInt32(input.outPoint().vout())
          .writeVarBytes(input.scriptSig())
          .writeUInt32(input.sequence());
    }
    out.writeCompactSize(outputs.size());
    for (TxOut output : outputs) {
      out.writeInt64(output.valueSats()).writeVarBytes(output.scriptPubKey());
    }
    return out.writeUInt32(lockTime).toByteArray();
  }
}
