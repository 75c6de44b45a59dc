package io.mpcw.crypto.tx;

import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A transaction input without its witness (witnesses live in {@link Transaction}, parallel to the
 * inputs, because they are excluded from the txid). Taproot inputs have an empty scriptSig.
 */
public record TxIn(OutPoint outPoint, byte[] scriptSig, long sequence) {

  public TxIn {
    Objects.requireNonNull(outPoint, "outPoint");
    scriptSig = scriptSig.clone();
    if (sequence < 0 || sequence > 0xffffffffL) {
      throw new IllegalArgumentException(
          "sequence " + sequence + " is not an unsigned 32-bit value");
    }
  }

  /** An input with an empty scriptSig, as every segwit input has. */
  public static TxIn of(OutPoint outPoint, long sequence) {
    return new TxIn(outPoint, new byte[0], sequence);
  }

  @Override
  public byte[] scriptSig() {
    return scriptSig.clone();
  }

  /** Whether this input opts in to replace-by-fee (BIP-125). */
  public boolean signalsRbf() {
    return Sequence.signalsRbf(sequence);
  }

  int serializedSize() {
    return OutPoint.SIZE + ByteWriter.compactSizeLength(scriptSig.length) + scriptSig.length + 4;
  }

  void writeTo(ByteWriter out) {
    outPoint.writeTo(out);
    out.writeVarBytes(scriptSig).writeUInt32(sequence);
  }

  static TxIn readFrom(ByteReader in) {
    OutPoint outPoint = OutPoint.readFrom(in);
    byte[] scriptSig = in.readVarBytes("scriptSig");
    return new TxIn(outPoint, scriptSig, in.readUInt32("sequence"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TxIn t
        && outPoint.equals(t.outPoint)
        && Arrays.equals(scriptSig, t.scriptSig)
        && sequence == t.sequence;
  }

  @Override
  public int hashCode() {
    return Objects.hash(outPoint, Arrays.hashCode(scriptSig), sequence);
  }

  @Override
  public String toString() {
    return "TxIn["
        + outPoint
        + ", scriptSig="
        + Hex.encode(scriptSig)
        + ", sequence="
        + sequence
        + "]";
  }
}
