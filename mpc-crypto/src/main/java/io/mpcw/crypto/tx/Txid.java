package io.mpcw.crypto.tx;

import io.mpcw.crypto.util.Hex;
import java.util.Arrays;

/**
 * A transaction id (or wtxid): the double SHA-256 of a serialization.
 *
 * <p>Two byte orders exist and mixing them up is a classic bug. <b>Internal order</b> is the hash
 * output as is; it is what outpoints serialize and what BIP-341 hashes. <b>Display order</b> is the
 * reverse; it is what block explorers, RPCs and {@link #toString()} show. Construct from the one
 * you have with {@link #fromInternalBytes} or {@link #fromDisplayHex}.
 */
public final class Txid {
  public static final int LENGTH = 32;

  private final byte[] internal;

  private Txid(byte[] internal) {
    this.internal = internal;
  }

  /** From the 32 bytes as they appear in serialized transactions (hash output order). */
  public static Txid fromInternalBytes(byte[] internalOrder) {
    if (internalOrder.length != LENGTH) {
      throw new IllegalArgumentException("a txid is 32 bytes, got " + internalOrder.length);
    }
    return new Txid(internalOrder.clone());
  }

  /** From the 64 hex characters shown by explorers and RPCs (reversed byte order). */
  public static Txid fromDisplayHex(String displayHex) {
    byte[] bytes = Hex.decode(displayHex);
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a txid is 64 hex characters, got " + displayHex.length());
    }
    return new Txid(reverse(bytes));
  }

  /** The 32 bytes in serialization (internal) order. */
  public byte[] internalBytes() {
    return internal.clone();
  }

  /** The 32 bytes in display order. */
  public byte[] displayBytes() {
    return reverse(internal);
  }

  /** Display-order hex, as explorers and RPCs show it. */
  public String toDisplayHex() {
    return Hex.encode(displayBytes());
  }

  @Override
  public String toString() {
    return toDisplayHex();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Txid t && Arrays.equals(internal, t.internal);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(internal);
  }

  private static byte[] reverse(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }
}
