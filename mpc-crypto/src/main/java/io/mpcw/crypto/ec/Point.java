package io.mpcw.crypto.ec;

import io.mpcw.crypto.util.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An immutable secp256k1 point in affine form. The identity can be the result of arithmetic but is
 * never accepted by the decoders and has no encoding.
 */
public final class Point {
  public static final int COMPRESSED_BYTES = 33;
  public static final int X_ONLY_BYTES = 32;
  public static final Point G = new Point(Secp256k1.G);

  private final ECPoint p;

  private Point(ECPoint p) {
    this.p = p.normalize();
  }

  /** Decodes a 33-byte SEC1 compressed point ({@code 02|03 || x}). */
  public static Point decodeCompressed(byte[] bytes) {
    if (bytes == null || bytes.length != COMPRESSED_BYTES) {
      throw new CryptoFormatException("a compressed point is 33 bytes");
    }
    if (bytes[0] != 0x02 && bytes[0] != 0x03) {
      throw new CryptoFormatException("compressed point prefix must be 02 or 03");
    }
    return lift(bytes);
  }

  /** Decodes a 32-byte BIP-340 x-only key: the point with that x and an even y. */
  public static Point decodeXOnly(byte[] bytes) {
    if (bytes == null || bytes.length != X_ONLY_BYTES) {
      throw new CryptoFormatException("an x-only point is 32 bytes");
    }
    byte[] compressed = new byte[COMPRESSED_BYTES];
    compressed[0] = 0x02;
    System.arraycopy(bytes, 0, compressed, 1, X_ONLY_BYTES);
    return lift(compressed);
  }

  // BouncyCastle's decodePoint takes the square root faster than a BigInteger would, and checks
  // the result is on the curve; x >= p is refused first because it must not be reduced silently.
  private static Point lift(byte[] compressed) {
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(compressed, 1, COMPRESSED_BYTES));
    if (x.compareTo(Secp256k1.P) >= 0) {
      throw new CryptoFormatException("x coordinate is not below the field prime");
    }
    try {
      ECPoint decoded = Secp256k1.CURVE.decodePoint(compressed);
      if (decoded.isInfinity()) {
        throw new CryptoFormatException("the identity is not a valid point here");
      }
      return new Point(decoded);
    } catch (IllegalArgumentException e) {
      throw new CryptoFormatException("not a point on secp256k1", e);
    }
  }

  /**
   * {@code k·G} with BouncyCastle's fixed-point comb (constant sequence of operations, safe for
   * secret scalars).
   */
  public static Point multiplyGenerator(Scalar k) {
    return new Point(Secp256k1.COMB.multiply(Secp256k1.G, k.toBigInteger()));
  }

  /**
   * {@code a·G + b·Q} for public scalars only (verification): BouncyCastle's interleaved wNAF,
   * which branches on the scalars' bits but is the fastest two-term multiplication available.
   */
  public static Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b) {
    return new Point(
        ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, a.toBigInteger(), q.p, b.toBigInteger()));
  }

  /**
   * {@code Σ k_i·P_i} for public scalars only, by BouncyCastle's interleaved multi-scalar
   * multiplication (one shared doubling chain instead of one per term).
   */
  public static Point sumOfMultiplies(List<Point> points, List<Scalar> scalars) {
    if (points.size() != scalars.size() || points.isEmpty()) {
      throw new IllegalArgumentException("need as many scalars as points, at least one");
    }
    ECPoint[] ps = points.stream().map(q -> q.p).toArray(ECPoint[]::new);
    BigInteger[] ks = scalars.stream().map(Scalar::toBigInteger).toArray(BigInteger[]::new);
    return new Point(ECAlgorithms.sumOfMultiplies(ps, ks));
  }

  /**
   * {@code k·this} by a Montgomery ladder: every bit costs one addition and one doubling whatever
   * its value, so the sequence of field operations does not reveal a secret k. BouncyCastle 1.87 no
   * longer ships a ladder multiplier, hence this one.
   */
  public Point multiply(Scalar k) {
    BigInteger kv = k.toBigInteger();
    ECPoint[] r = {Secp256k1.CURVE.getInfinity(), p};
    for (int i = 255; i >= 0; i--) {
      int bit = kv.testBit(i) ? 1 : 0;
      r[1 - bit] = r[1 - bit].add(r[bit]);
      r[bit] = r[bit].twice();
    }
    return new Point(r[0]);
  }

  /** {@code k·this} for a public k (Lagrange coefficients, challenges): faster, variable-time. */
  public Point multiplyPublic(Scalar k) {
    return new Point(p.multiply(k.toBigInteger()));
  }

  public Point add(Point other) {
    return new Point(p.add(other.p));
  }

  public Point subtract(Point other) {
    return new Point(p.subtract(other.p));
  }

  public Point negate() {
    return new Point(p.negate());
  }

  public boolean isIdentity() {
    return p.isInfinity();
  }

  public boolean hasEvenY() {
    requireNotIdentity();
    return !p.getAffineYCoord().testBitZero();
  }

  /** This point, or its negation, whichever has an even y (BIP-340's canonical form). */
  public Point withEvenY() {
    return hasEvenY() ? this : negate();
  }

  public byte[] encodeCompressed() {
    requireNotIdentity();
    return p.getEncoded(true);
  }

  public byte[] encodeXOnly() {
    requireNotIdentity();
    return p.getAffineXCoord().getEncoded();
  }

  private void requireNotIdentity() {
    if (p.isInfinity()) {
      throw new IllegalStateException("the identity has no encoding");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Point other && p.equals(other.p);
  }

  @Override
  public int hashCode() {
    return p.hashCode();
  }

  @Override
  public String toString() {
    return p.isInfinity() ? "Point[identity]" : "Point[" + Hex.encode(encodeCompressed()) + "]";
  }
}
