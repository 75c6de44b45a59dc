package io.mpcw.crypto.ec;

import io.mpcw.crypto.util.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An immutable secp256k1 point in affine form. The identity can be the result of arithmetic but is
 * never accepted by the decoders and has no encoding.
 */
public final class Point {
  public static final int COMPRESSED_BYTES = 33;
  public static final int X_ONLY_BYTES = 32;
  public static final int UNCOMPRESSED_BYTES = 65;
  public static final Point G = new Point(Secp256k1.G);
  private static final Point IDENTITY = new Point(Secp256k1.CURVE.getInfinity());

  private final ECPoint p;

  private Point(ECPoint p) {
    this.p = p.normalize();
  }

  /** For {@link BouncyCastleBackend}: wraps a BouncyCastle point. */
  static Point of(ECPoint p) {
    return new Point(p);
  }

  ECPoint ecPoint() {
    return p;
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

  // x >= p is refused here, before any backend, because it must not be reduced silently; the
  // backend takes the square root and checks the result is on the curve
  private static Point lift(byte[] compressed) {
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(compressed, 1, COMPRESSED_BYTES));
    if (x.compareTo(Secp256k1.P) >= 0) {
      throw new CryptoFormatException("x coordinate is not below the field prime");
    }
    return Secp256k1Backends.active().liftCompressed(compressed);
  }

  /** The point at infinity: a possible result of arithmetic, never of decoding. */
  public static Point identity() {
    return IDENTITY;
  }

  /**
   * Decodes a 65-byte SEC1 uncompressed point ({@code 04 || x || y}), checking it is on the curve.
   * The native backend returns points this way, which saves a square root per result.
   */
  public static Point decodeUncompressed(byte[] bytes) {
    if (bytes == null || bytes.length != UNCOMPRESSED_BYTES || bytes[0] != 0x04) {
      throw new CryptoFormatException("an uncompressed point is 04 followed by 64 bytes");
    }
    try {
      return new Point(Secp256k1.CURVE.decodePoint(bytes));
    } catch (IllegalArgumentException e) {
      throw new CryptoFormatException("not a point on secp256k1", e);
    }
  }

  /**
   * {@code k·G}, safe for secret scalars (constant sequence of operations in both backends: the
   * fixed-point comb in BouncyCastle, {@code ecmult_gen} in libsecp256k1).
   */
  public static Point multiplyGenerator(Scalar k) {
    return Secp256k1Backends.active().multiplyGenerator(k);
  }

  /** {@code a·G + b·Q} for public scalars only (verification): variable time. */
  public static Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b) {
    return Secp256k1Backends.active().sumOfTwoMultiplies(a, q, b);
  }

  /** {@code Σ k_i·P_i} for public scalars only (the FROST group commitment). */
  public static Point sumOfMultiplies(List<Point> points, List<Scalar> scalars) {
    if (points.size() != scalars.size() || points.isEmpty()) {
      throw new IllegalArgumentException("need as many scalars as points, at least one");
    }
    return Secp256k1Backends.active().sumOfMultiplies(points, scalars);
  }

  /** {@code Σ P_i} in one go (one normalisation or one native combination, not one per term). */
  public static Point sum(List<Point> points) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("need at least one point");
    }
    return Secp256k1Backends.active().sum(points);
  }

  /** {@code k·this} for a public k (Lagrange coefficients, challenges): may be variable-time. */
  public Point multiplyPublic(Scalar k) {
    return Secp256k1Backends.active().multiplyPublic(this, k);
  }

  /** {@code this + t·G} (the BIP-341 tweak of a key). */
  public Point addMultipleOfGenerator(Scalar t) {
    return Secp256k1Backends.active().addMultipleOfGenerator(this, t);
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

  public byte[] encodeUncompressed() {
    requireNotIdentity();
    return p.getEncoded(false);
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
