package io.mpcw.crypto.ec;

import java.util.List;

/**
 * The secp256k1 operations that cost: BIP-340 signing and verification and the point
 * multiplications. Two implementations give byte-identical results: {@link BouncyCastleBackend}
 * (pure Java, always available) and {@link LibSecp256k1Backend} (libsecp256k1 through JNI, 3–6×
 * faster). {@link Secp256k1Backends#active()} is the one the library uses.
 *
 * <p>Callers validate lengths and ranges first ({@code Bip340}, {@code Point}, {@code Scalar} do):
 * a backend sees only well-formed input, so both refuse invalid input in the same way, above them.
 * Results that are the identity are returned as {@link Point#identity()} by both.
 */
public interface Secp256k1Backend {
  /** A short stable name for logs and metrics: {@code libsecp256k1} or {@code bouncycastle}. */
  String name();

  /**
   * BIP-340 verification. The key is 32 bytes, the signature 64, the message any length; a key that
   * is not on the curve, r ≥ p or s ≥ n give false.
   */
  boolean verifySchnorr(byte[] msg, byte[] xOnlyPub32, byte[] sig64);

  /**
   * BIP-340 signing, without the verify-before-release (the caller does it). The key is in [1, n),
   * aux is 32 bytes.
   */
  byte[] signSchnorr(byte[] msg, byte[] seckey32, byte[] aux32);

  /** {@code k·G}, constant sequence of operations (k may be secret). */
  Point multiplyGenerator(Scalar k);

  /** {@code k·P} for a public k. */
  Point multiplyPublic(Point p, Scalar k);

  /** {@code a·G + b·Q} for public scalars. */
  Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b);

  /** {@code Σ k_i·P_i} for public scalars; the lists are equally long and not empty. */
  Point sumOfMultiplies(List<Point> points, List<Scalar> scalars);

  /** {@code P + t·G} (a BIP-341 tweak; t is public). */
  Point addMultipleOfGenerator(Point p, Scalar t);

  /** {@code Σ P_i}; the list is not empty and may hold the identity. */
  Point sum(List<Point> points);

  /**
   * The point of a 33-byte SEC1 compressed encoding whose prefix (02 or 03) and x below p the
   * caller has checked.
   *
   * @throws CryptoFormatException when no point on the curve has that x
   */
  Point liftCompressed(byte[] compressed);
}
