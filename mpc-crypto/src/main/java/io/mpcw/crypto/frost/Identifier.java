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

  /**
   * Identifier {@code i}, the usual numbering of participants (any i ≥ 1; ZF frost's {@code u16}
   * identifiers are the range 1..65535 of it).
   */
  public static Identifier of(long i) {
    if (i < 1) {
      throw new CryptoFormatException("identifier must be at least 1: " + i);
    }
    return new Identifier(Scalar.of(i));
  }

  /** The identifier with the given scalar value, which must be in [1, n). */
  public static Identifier of(BigInteger value) {
    if (value.signum() <= 0 || value.bitLength() > 256) {
      throw new CryptoFormatException("identifier must be a non-zero scalar");
    }
    byte[] fixed = new byte[BYTES];
    byte[] raw = value.toByteArray();
    int from = Math.max(0, raw.length - BYTES);
    System.arraycopy(raw, from, fixed, BYTES - (raw.length - from), raw.length - from);
    return decode(fixed);
  }

  public static Identifier decode(byte[] bytes) {
    return new Identifier(Scalar.decodeNonZero(bytes));
  }

  public Scalar toScalar() {
    return value;
  }

  /** The identifier's value as a number. */
  public BigInteger toBigInteger() {
    return new BigInteger(1, encoded);
  }

  /**
   * The identifier's value as a {@code long}, for identifiers made by {@link #of(long)}.
   *
   * @throws ArithmeticException when the value does not fit
   */
  public long longValueExact() {
    return toBigInteger().longValueExact();
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
    BigInteger v = toBigInteger();
    return v.bitLength() <= 63 ? v.toString() : Hex.encode(encoded);
  }
}
