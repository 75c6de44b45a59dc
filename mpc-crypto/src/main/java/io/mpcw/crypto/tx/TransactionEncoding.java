package io.mpcw.crypto.tx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A transaction's wire form, read and written: legacy, or BIP-144 with the segwit marker and flag
 * and one witness stack per input. Reading is strict (see {@link Transaction#parse}): a transaction
 * has one valid encoding, so nothing that decodes two ways is accepted.
 */
final class TransactionEncoding {
  private static final int SEGWIT_MARKER = 0x00;
  private static final int SEGWIT_FLAG = 0x01;
  private static final int MIN_INPUT_SIZE = OutPoint.SIZE + 1 + 4;
  private static final int MIN_OUTPUT_SIZE = 8 + 1;

  private TransactionEncoding() {}

  static Transaction read(byte[] bytes) {
    if (bytes.length > Transaction.MAX_SERIALIZED_SIZE) {
      throw new TransactionFormatException(
          "transaction of "
              + bytes.length
              + " bytes is larger than "
              + Transaction.MAX_SERIALIZED_SIZE);
    }
    ByteReader in = new ByteReader(bytes);
    int version = (int) in.readUInt32("version");
    boolean segwit = in.remaining() >= 2 && in.peek(0) == SEGWIT_MARKER;
    if (segwit) {
      in.readByte();
      int flag = in.readByte();
      if (flag != SEGWIT_FLAG) {
        throw new TransactionFormatException(
            String.format("unknown segwit flag 0x%02x (only 0x01 is defined)", flag));
      }
    }
    int inputCount = in.readCount("input count", MIN_INPUT_SIZE);
    if (inputCount == 0) {
      throw new TransactionFormatException("transaction has no inputs");
    }
    List<TxIn> inputs = new ArrayList<>(inputCount);
    for (int i = 0; i < inputCount; i++) {
      inputs.add(TxIn.readFrom(in));
    }
    int outputCount = in.readCount("output count", MIN_OUTPUT_SIZE);
    if (outputCount == 0) {
      throw new TransactionFormatException("transaction has no outputs");
    }
    List<TxOut> outputs = new ArrayList<>(outputCount);
    for (int i = 0; i < outputCount; i++) {
      outputs.add(TxOut.readFrom(in));
    }
    List<Witness> witnesses;
    if (segwit) {
      witnesses = new ArrayList<>(inputCount);
      for (int i = 0; i < inputCount; i++) {
        witnesses.add(Witness.readFrom(in));
      }
      // The same transaction without the marker has another wtxid: only one encoding is valid.
      if (witnesses.stream().allMatch(Witness::isEmpty)) {
        throw new TransactionFormatException(
            "segwit marker present but every witness is empty (superfluous witness record)");
      }
    } else {
      witnesses = Collections.nCopies(inputCount, Witness.EMPTY);
    }
    long lockTime = in.readUInt32("lock time");
    if (in.remaining() != 0) {
      throw new TransactionFormatException(
          in.remaining() + " trailing bytes after the transaction, at byte " + in.position());
    }
    return new Transaction(version, inputs, outputs, lockTime, witnesses);
  }

  static byte[] write(Transaction tx, boolean withWitness) {
    ByteWriter out = new ByteWriter(withWitness ? tx.totalSize() : tx.baseSize());
    out.writeUInt32(tx.version() & 0xffffffffL);
    if (withWitness) {
      out.writeByte(SEGWIT_MARKER).writeByte(SEGWIT_FLAG);
    }
    out.writeCompactSize(tx.inputs().size());
    for (TxIn input : tx.inputs()) {
      input.writeTo(out);
    }
    out.writeCompactSize(tx.outputs().size());
    for (TxOut output : tx.outputs()) {
      output.writeTo(out);
    }
    if (withWitness) {
      for (Witness witness : tx.witnesses()) {
        witness.writeTo(out);
      }
    }
    out.writeUInt32(tx.lockTime());
    return out.toByteArray();
  }
}
