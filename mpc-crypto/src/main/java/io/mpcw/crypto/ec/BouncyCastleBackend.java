package io.mpcw.crypto.ec;

import io.mpcw.crypto.hash.TaggedHash;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The pure-Java path, on BouncyCastle's secp256k1: always available, and the reference the native
 * backend is cross-checked against in the tests. Everything here calls BouncyCastle directly, never
 * {@link Point}'s dispatching methods, so it stays pure Java whichever backend is active.
 */
public final class BouncyCastleBackend implements Secp256k1Backend {
  public static final BouncyCastleBackend INSTANCE = new BouncyCastleBackend();

  private BouncyCastleBackend() {}

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public boolean verifySchnorr(byte[] msg, byte[] xOnlyPub32, byte[] sig64) {
    Point p;
    try {
      p = Point.decodeXOnly(xOnlyPub32);
    } catch (CryptoFormatException e) {
      return false;
    }
    byte[] rx = Arrays.copyOfRange(sig64, 0, 32);
    if (new BigInteger(1, rx).compareTo(Secp256k1.P) >= 0) {
      return false;
    }
    Scalar s;
    try {
      s = Scalar.decode(Arrays.copyOfRange(sig64, 32, 64));
    } catch (CryptoFormatException e) {
      return false;
    }
    Scalar e = challenge(rx, xOnlyPub32, msg);
    Point r = sumOfTwoMultiplies(s, p, e.negate());
    return !r.isIdentity() && r.hasEvenY() && Arrays.equals(r.encodeXOnly(), rx);
  }

  @Override
  public byte[] signSchnorr(byte[] msg, byte[] seckey32, byte[] aux32) {
    Scalar d0 = Scalar.decodeNonZero(seckey32);
    Point p = multiplyGenerator(d0);
    Scalar d = p.hasEvenY() ? d0 : d0.negate();
    byte[] px = p.encodeXOnly();
    byte[] t = xor(d.encode(), TaggedHash.hash(TaggedHash.BIP340_AUX, aux32));
    Scalar k0 = Scalar.reduce(TaggedHash.hash(TaggedHash.BIP340_NONCE, t, px, msg));
    Arrays.fill(t, (byte) 0);
    if (k0.isZero()) {
      throw new IllegalStateException("nonce hashed to zero");
    }
    Point r = multiplyGenerator(k0);
    Scalar k = r.hasEvenY() ? k0 : k0.negate();
    byte[] rx = r.encodeXOnly();
    Scalar e = challenge(rx, px, msg);
    byte[] sig = Arrays.copyOf(rx, 64);
    System.arraycopy(k.add(e.multiply(d)).encode(), 0, sig, 32, 32);
    return sig;
  }

  /** Fixed-point comb: same table scan and double-and-add whatever the scalar's bits. */
  @Override
  public Point multiplyGenerator(Scalar k) {
    return Point.of(Secp256k1.COMB.multiply(Secp256k1.G, k.toBigInteger()));
  }

  @Override
  public Point multiplyPublic(Point p, Scalar k) {
    return Point.of(p.ecPoint().multiply(k.toBigInteger()));
  }

  /** BouncyCastle's interleaved wNAF: branches on the scalars' bits, fastest two-term product. */
  @Override
  public Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b) {
    return Point.of(
        ECAlgorithms.sumOfTwoMultiplies(
            Secp256k1.G, a.toBigInteger(), q.ecPoint(), b.toBigInteger()));
  }

  /** Interleaved multi-scalar multiplication: one shared doubling chain instead of one per term. */
  @Override
  public Point sumOfMultiplies(List<Point> points, List<Scalar> scalars) {
    ECPoint[] ps = points.stream().map(Point::ecPoint).toArray(ECPoint[]::new);
    BigInteger[] ks = scalars.stream().map(Scalar::toBigInteger).toArray(BigInteger[]::new);
    return Point.of(ECAlgorithms.sumOfMultiplies(ps, ks));
  }

  @Override
  public Point addMultipleOfGenerator(Point p, Scalar t) {
    return Point.of(p.ecPoint().add(Secp256k1.COMB.multiply(Secp256k1.G, t.toBigInteger())));
  }

  /** Added in BouncyCastle's projective coordinates: one normalisation for the whole sum. */
  @Override
  public Point sum(List<Point> points) {
    ECPoint total = points.get(0).ecPoint();
    for (int i = 1; i < points.size(); i++) {
      total = total.add(points.get(i).ecPoint());
    }
    return Point.of(total);
  }

  /** BouncyCastle's decoder takes the square root and checks the result is on the curve. */
  @Override
  public Point liftCompressed(byte[] compressed) {
    try {
      ECPoint decoded = Secp256k1.CURVE.decodePoint(compressed);
      if (decoded.isInfinity()) {
        throw new CryptoFormatException("the identity is not a valid point here");
      }
      return Point.of(decoded);
    } catch (IllegalArgumentException e) {
      throw new CryptoFormatException("not a point on secp256k1", e);
    }
  }

  private static Scalar challenge(byte[] rx, byte[] px, byte[] msg) {
    return Scalar.reduce(TaggedHash.hash(TaggedHash.BIP340_CHALLENGE, rx, px, msg));
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  @Override
  public String toString() {
    return name();
  }
}
