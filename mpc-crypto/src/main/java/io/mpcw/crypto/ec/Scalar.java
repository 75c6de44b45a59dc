package io.mpcw.crypto.ec;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An immutable integer modulo the secp256k1 group order n.
 *
 * <p>Scalars are often secret (key shares, nonces), so {@link #toString()} never prints the value.
 * Arithmetic runs on {@link BigInteger}, which is not constant-time; the expensive secret-dependent
 * step (multiplying a point by a secret) is done by constant-sequence algorithms in {@link Point}.
 */
public final class Scalar {
  public static final int BYTES = 32;
  public static final Scalar ZERO = new Scalar(BigInteger.ZERO);
  public static final Scalar ONE = new Scalar(BigInteger.ONE);

  private final BigInteger value;

  private Scalar(BigInteger value) {
    this.value = value;
  }

  /** Decodes 32 big-endian bytes, refusing values that are not below n. */
  public static Scalar decode(byte[] bytes) {
    if (bytes == null || bytes.length != BYTES) {
      throw new CryptoFormatException("a scalar is 32 bytes");
    }
    BigInteger v = new BigInteger(1, bytes);
    if (v.compareTo(Secp256k1.N) >= 0) {
      throw new CryptoFormatException("scalar is not below the group order");
    }
    return new Scalar(v);
  }

  /** Like {@link #decode} but also refuses zero, as secret keys and identifiers require. */
  public static Scalar decodeNonZero(byte[] bytes) {
    Scalar s = decode(bytes);
    if (s.isZero()) {
      throw new CryptoFormatException("scalar must not be zero");
    }
    return s;
  }

  /** Interprets any number of big-endian bytes as an integer and reduces it mod n (hash output). */
  public static Scalar reduce(byte[] bytes) {
    return new Scalar(new BigInteger(1, bytes).mod(Secp256k1.N));
  }

  public static Scalar of(long value) {
    return new Scalar(BigInteger.valueOf(value).mod(Secp256k1.N));
  }

  /** A uniformly random non-zero scalar. */
  public static Scalar random(SecureRandom random) {
    byte[] buf = new byte[BYTES];
    while (true) {
      random.nextBytes(buf);
      BigInteger v = new BigInteger(1, buf);
      if (v.signum() != 0 && v.compareTo(Secp256k1.N) < 0) {
        Arrays.fill(buf, (byte) 0);
        return new Scalar(v);
      }
    }
  }

  public Scalar add(Scalar other) {
    return new Scalar(value.add(other.value).mod(Secp256k1.N));
  }

  public Scalar subtract(Scalar other) {
    return new Scalar(value.subtract(other.value).mod(Secp256k1.N));
  }

  public Scalar multiply(Scalar other) {
    return new Scalar(value.multiply(other.value).mod(Secp256k1.N));
  }

  public Scalar negate() {
    return new Scalar(value.negate().mod(Secp256k1.N));
  }

  /**
   * The multiplicative inverse.
   *
   * @throws ArithmeticException for zero, which has none
   */
  public Scalar invert() {
    if (isZero()) {
      throw new ArithmeticException("zero has no inverse");
    }
    return new Scalar(value.modInverse(Secp256k1.N));
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  /** 32 big-endian bytes. */
  public byte[] encode() {
    byte[] out = new byte[BYTES];
    byte[] raw = value.toByteArray();
    int copy = Math.min(raw.length, BYTES);
    System.arraycopy(raw, raw.length - copy, out, BYTES - copy, copy);
    return out;
  }

  BigInteger toBigInteger() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scalar other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "Scalar[redacted]";
  }
}
