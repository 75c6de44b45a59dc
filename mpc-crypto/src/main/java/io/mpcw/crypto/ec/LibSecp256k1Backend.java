package io.mpcw.crypto.ec;

import fr.acinq.secp256k1.Secp256k1Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * libsecp256k1 (Bitcoin Core's C library) through ACINQ's secp256k1-kmp JNI binding. Its generator
 * and point multiplications are constant-time, its BIP-340 code is the reference one.
 *
 * <p>Where the binding cannot do what is asked, this falls back to {@link BouncyCastleBackend}:
 * BIP-340 messages of another length than 32 bytes (the binding requires 32; the wallet only signs
 * 32-byte sighashes). The binding throws where BouncyCastle returns the identity (a zero scalar, a
 * sum that cancels): those cases are answered here without calling it, or mapped to {@link
 * Point#identity()}, so both backends give the same results.
 */
public final class LibSecp256k1Backend implements Secp256k1Backend {
  private static final int MESSAGE_BYTES = 32;

  private final fr.acinq.secp256k1.Secp256k1 lib;

  private LibSecp256k1Backend(fr.acinq.secp256k1.Secp256k1 lib) {
    this.lib = lib;
  }

  /**
   * Loads the JNI library (extracted from the jar into {@code java.io.tmpdir}) and checks it
   * against a BIP-340 test vector; the reason when it cannot be used.
   */
  static Load load() {
    fr.acinq.secp256k1.Secp256k1 lib;
    try {
      lib = fr.acinq.secp256k1.Secp256k1.Companion.get();
    } catch (Throwable e) { // UnsatisfiedLinkError, missing platform jar, unwritable tmpdir
      return new Load(Optional.empty(), "libsecp256k1 JNI did not load: " + e);
    }
    LibSecp256k1Backend backend = new LibSecp256k1Backend(lib);
    try {
      if (SelfTest.passes(backend)) {
        return new Load(Optional.of(backend), "libsecp256k1 JNI loaded and self-tested");
      }
      return new Load(Optional.empty(), "libsecp256k1 JNI failed its BIP-340 self-test");
    } catch (RuntimeException e) {
      return new Load(Optional.empty(), "libsecp256k1 JNI failed its BIP-340 self-test: " + e);
    }
  }

  /** The outcome of {@link #load()}. */
  record Load(Optional<LibSecp256k1Backend> backend, String reason) {}

  @Override
  public String name() {
    return "libsecp256k1";
  }

  @Override
  public boolean verifySchnorr(byte[] msg, byte[] xOnlyPub32, byte[] sig64) {
    if (msg.length != MESSAGE_BYTES) {
      return BouncyCastleBackend.INSTANCE.verifySchnorr(msg, xOnlyPub32, sig64);
    }
    try {
      return lib.verifySchnorr(sig64, msg, xOnlyPub32);
    } catch (Secp256k1Exception e) {
      return false; // the binding throws when the key does not parse (x not on the curve, x ≥ p)
    }
  }

  @Override
  public byte[] signSchnorr(byte[] msg, byte[] seckey32, byte[] aux32) {
    if (msg.length != MESSAGE_BYTES) {
      return BouncyCastleBackend.INSTANCE.signSchnorr(msg, seckey32, aux32);
    }
    return lib.signSchnorr(msg, seckey32, aux32);
  }

  @Override
  public Point multiplyGenerator(Scalar k) {
    if (k.isZero()) {
      return Point.identity();
    }
    return decode(lib.pubkeyCreate(k.encode()));
  }

  /** libsecp256k1's tweak multiplication (constant time): the fastest one the binding offers. */
  @Override
  public Point multiplyPublic(Point p, Scalar k) {
    if (p.isIdentity() || k.isZero()) {
      return Point.identity();
    }
    return decode(lib.pubKeyTweakMul(p.encodeUncompressed(), k.encode()));
  }

  @Override
  public Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b) {
    Point bq = multiplyPublic(q, b);
    if (a.isZero()) {
      return bq;
    }
    return addMultipleOfGenerator(bq, a);
  }

  /**
   * One multiplication per term, then one combination: the binding has no multi-scalar
   * multiplication, but its single ones are fast enough that this still beats BouncyCastle's
   * interleaved sum for the few terms of a signing package (see docs/benchmarks.md).
   */
  @Override
  public Point sumOfMultiplies(List<Point> points, List<Scalar> scalars) {
    // the products stay in the binding's encoding until the combination: a term is the identity
    // only for the identity or a zero scalar (the group has prime order)
    List<byte[]> terms = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      Scalar k = scalars.get(i);
      if (!p.isIdentity() && !k.isZero()) {
        terms.add(lib.pubKeyTweakMul(p.encodeUncompressed(), k.encode()));
      }
    }
    return combine(terms);
  }

  @Override
  public Point addMultipleOfGenerator(Point p, Scalar t) {
    if (p.isIdentity()) {
      return multiplyGenerator(t);
    }
    if (t.isZero()) {
      return p;
    }
    try {
      return decode(lib.pubKeyTweakAdd(p.encodeUncompressed(), t.encode()));
    } catch (Secp256k1Exception e) {
      return Point.identity(); // the only failure left: P + t·G is the point at infinity
    }
  }

  /** One combination of every term that is not the identity. */
  @Override
  public Point sum(List<Point> points) {
    List<byte[]> terms = new ArrayList<>(points.size());
    for (Point p : points) {
      if (!p.isIdentity()) {
        terms.add(p.encodeUncompressed());
      }
    }
    return combine(terms);
  }

  /** The sum of points given uncompressed, none of them the identity. */
  private Point combine(List<byte[]> terms) {
    if (terms.isEmpty()) {
      return Point.identity();
    }
    if (terms.size() == 1) {
      return Point.decodeUncompressed(terms.get(0));
    }
    try {
      return decode(lib.pubKeyCombine(terms.toArray(byte[][]::new)));
    } catch (Secp256k1Exception e) {
      return Point.identity(); // the terms cancel out
    }
  }

  /**
   * libsecp256k1's parser takes the square root natively (3× BouncyCastle's on the C1-compiled
   * nodes, see docs/benchmarks.md) and answers the uncompressed form, which {@link
   * Point#decodeUncompressed} checks is on the curve again.
   */
  @Override
  public Point liftCompressed(byte[] compressed) {
    byte[] uncompressed;
    try {
      uncompressed = lib.pubkeyParse(compressed);
    } catch (Secp256k1Exception e) {
      throw new CryptoFormatException("not a point on secp256k1", e);
    }
    return Point.decodeUncompressed(uncompressed);
  }

  private static Point decode(byte[] serialized) {
    return serialized.length == Point.COMPRESSED_BYTES
        // not through Point.decodeCompressed: that asks the active backend, which is not chosen
        // yet while this one runs its self-test
        ? BouncyCastleBackend.INSTANCE.liftCompressed(serialized)
        : Point.decodeUncompressed(serialized);
  }

  @Override
  public String toString() {
    return name();
  }
}
