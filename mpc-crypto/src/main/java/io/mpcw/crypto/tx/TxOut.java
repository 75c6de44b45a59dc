package io.mpcw.crypto.tx;

import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import java.util.Objects;

/** A transaction output: an amount in satoshis and the script that locks it. */
public record TxOut(long valueSats, byte[] scriptPubKey) {
  /** 21 million BTC: no valid amount is larger (Bitcoin Core's MAX_MONEY). */
  public static final long MAX_MONEY = 21_000_000L * 100_000_000L;

  public TxOut {
    if (valueSats < 0 || valueSats > MAX_MONEY) {
      throw new IllegalArgumentException(
          "output value " + valueSats + " sats is outside 0.." + MAX_MONEY);
    }
    scriptPubKey = scriptPubKey.clone();
  }

  @Override
  public byte[] scriptPubKey() {
    return scriptPubKey.clone();
  }

  /** Serialized size: 8-byte value plus the length-prefixed script. */
  public int serializedSize() {
    return 8 + ByteWriter.compactSizeLength(scriptPubKey.length) + scriptPubKey.length;
  }

  /** The wire serialization (value, then length-prefixed script), as hashed by sighashes. */
  public byte[] serialize() {
    ByteWriter out = new ByteWriter(serializedSize());
    writeTo(out);
    return out.toByteArray();
  }

  void writeTo(ByteWriter out) {
    out.writeInt64(valueSats).writeVarBytes(scriptPubKey);
  }

  static TxOut readFrom(ByteReader in) {
    long value = in.readInt64("output value");
    if (value < 0 || value > MAX_MONEY) {
      throw new TransactionFormatException(
          "output value " + value + " sats is outside 0.." + MAX_MONEY);
    }
    return new TxOut(value, in.readVarBytes("scriptPubKey"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TxOut t
        && valueSats == t.valueSats
        && Arrays.equals(scriptPubKey, t.scriptPubKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(valueSats, Arrays.hashCode(scriptPubKey));
  }

  @Override
  public String toString() {
    return "TxOut[" + valueSats + " sats, scriptPubKey=" + Hex.encode(scriptPubKey) + "]";
  }
}
