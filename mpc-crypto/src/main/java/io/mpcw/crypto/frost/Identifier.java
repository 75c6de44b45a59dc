package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.util.Hex;
import java.math.BigInteger;
import java.util.Arrays;

/** A participant identifier: a non-zero scalar, ordered by value, serialised as 32 bytes. */
public final class Identifier implements Comparable<Identifier> {
  public static final int BYTES = Scalar.BYTES;

  private final Scalar value;
  private final byte[] encoded;

  private Identifier(Scalar value) {
    this.value = value;
    this.encoded = value.encode();
  }

  /** Identifier {@code i} for i in 1..65535, the usual numbering of participants. */
  public static Identifier of(int i) {
    if (i < 1 || i > 0xffff) {
      throw new CryptoFormatException("identifier out of range 1..65535: " + i);
    }
    return new Identifier(Scalar.of(i));
  }

  public static Identifier decode(byte[] bytes) {
    return new Identifier(Scalar.decodeNonZero(bytes));
  }

  public Scalar toScalar() {
    return value;
  }

  public byte[] encode() {
    return encoded.clone();
  }

  @Override
  public int compareTo(Identifier o) {
    return Arrays.compareUnsigned(encoded, o.encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Identifier other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    BigInteger v = new BigInteger(1, encoded);
    return v.bitLength() <= 16 ? v.toString() : Hex.encode(encoded);
  }
}
