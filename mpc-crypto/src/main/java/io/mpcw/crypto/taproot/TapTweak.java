package io.mpcw.crypto.taproot;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.hash.TaggedHash;

/**
 * The BIP-341 key tweak {@code t = hash_TapTweak(x(P) || merkle_root)}, {@code Q = lift_x(x(P)) +
 * t·G}. An empty merkle root is the BIP-86 key-path-only case (an unspendable script path).
 */
public final class TapTweak {
  private TapTweak() {}

  /**
   * The tweak scalar for an internal key; the internal key's y parity is irrelevant since only its
   * x coordinate is hashed.
   *
   * @param merkleRoot empty for key-path only, else the 32-byte script tree root
   * @throws CryptoFormatException for a merkle root of another length, or a hash ≥ n
   */
  public static Scalar tweak(Point internalKey, byte[] merkleRoot) {
    if (merkleRoot == null || (merkleRoot.length != 0 && merkleRoot.length != 32)) {
      throw new CryptoFormatException("a merkle root is empty or 32 bytes");
    }
    // BIP-341 refuses t >= n rather than reducing it.
    return Scalar.decode(
        TaggedHash.hash(TaggedHash.TAP_TWEAK, internalKey.encodeXOnly(), merkleRoot));
  }

  /** The output key of a 32-byte x-only internal key. */
  public static TweakedKey outputKey(byte[] internalXOnly, byte[] merkleRoot) {
    return outputKey(Point.decodeXOnly(internalXOnly), merkleRoot);
  }

  /** The output key of an internal key, after normalising it to even y as BIP-341 does. */
  public static TweakedKey outputKey(Point internalKey, byte[] merkleRoot) {
    Scalar t = tweak(internalKey, merkleRoot);
    Point q = internalKey.withEvenY().addMultipleOfGenerator(t);
    if (q.isIdentity()) {
      throw new CryptoFormatException("tweaked key is the identity");
    }
    return new TweakedKey(q, !q.hasEvenY());
  }

  /**
   * The secret key for the output key: {@code d + t}, with d negated first when {@code d·G} has an
   * odd y, so that BIP-340 signing with it verifies under x(Q).
   */
  public static Scalar tweakSecretKey(Scalar internalSecret, byte[] merkleRoot) {
    Point p = Point.multiplyGenerator(internalSecret);
    Scalar d = p.hasEvenY() ? internalSecret : internalSecret.negate();
    Scalar tweaked = d.add(tweak(p, merkleRoot));
    if (tweaked.isZero()) {
      throw new CryptoFormatException("tweaked secret key is zero");
    }
    return tweaked;
  }
}
