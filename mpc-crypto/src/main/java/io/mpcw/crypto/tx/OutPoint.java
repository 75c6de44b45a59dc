package io.mpcw.crypto.tx;

import java.util.Objects;

/**
 * A reference to an output of an earlier transaction. {@code vout} is an unsigned 32-bit index held
 * in a long.
 */
public record OutPoint(Txid txid, long vout) {
  /** Serialized size: 32-byte txid and 4-byte index. */
  public static final int SIZE = 36;

  public OutPoint {
    Objects.requireNonNull(txid, "txid");
    if (vout < 0 || vout > 0xffffffffL) {
      throw new IllegalArgumentException("vout " + vout + " is not an unsigned 32-bit value");
    }
  }

  /** From a display-order txid (as an explorer shows it) and an output index. */
  public static OutPoint of(String displayTxid, long vout) {
    return new OutPoint(Txid.fromDisplayHex(displayTxid), vout);
  }

  void writeTo(ByteWriter out) {
    out.writeBytes(txid.internalBytes()).writeUInt32(vout);
  }

  static OutPoint readFrom(ByteReader in) {
    Txid txid = Txid.fromInternalBytes(in.readBytes(Txid.LENGTH, "outpoint txid"));
    return new OutPoint(txid, in.readUInt32("outpoint index"));
  }

  @Override
  public String toString() {
    return txid.toDisplayHex() + ":" + vout;
  }
}
