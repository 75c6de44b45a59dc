package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.taproot.TapTweak;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Even-y normalisation and BIP-341 tweaking of FROST key material. Both are linear, so applying
 * them share by share gives shares of the normalised or tweaked group key.
 */
public final class TaprootKeys {
  private TaprootKeys() {}

  /** Negates share, verifying share and group key when the group key has an odd y. */
  public static KeyPackage withEvenY(KeyPackage k) {
    if (k.verifyingKey().hasEvenY()) {
      return k;
    }
    return new KeyPackage(
        k.identifier(),
        k.signingShare().negate(),
        k.verifyingShare().negate(),
        k.verifyingKey().negate(),
        k.minSigners());
  }

  /** Negates the group key and every verifying share when the group key has an odd y. */
  public static PublicKeyPackage withEvenY(PublicKeyPackage p) {
    if (p.verifyingKey().hasEvenY()) {
      return p;
    }
    SortedMap<Identifier, Point> shares = new TreeMap<>();
    p.verifyingShares().forEach((id, share) -> shares.put(id, share.negate()));
    return new PublicKeyPackage(shares, p.verifyingKey().negate(), p.minSigners());
  }

  /**
   * Tweaks to the Taproot output key: t = TapTweak(x(Y), merkleRoot), then (even-y) s_i + t, Y_i +
   * t·G, Y + t·G. An empty merkle root is the BIP-86 key-path-only tweak.
   */
  public static KeyPackage tweak(KeyPackage k, byte[] merkleRoot) {
    Scalar t = TapTweak.tweak(k.verifyingKey(), merkleRoot);
    Point tg = Point.multiplyGenerator(t);
    KeyPackage even = withEvenY(k);
    return new KeyPackage(
        even.identifier(),
        even.signingShare().add(t),
        even.verifyingShare().add(tg),
        even.verifyingKey().add(tg),
        even.minSigners());
  }

  /** The public twin of {@link #tweak(KeyPackage, byte[])}. */
  public static PublicKeyPackage tweak(PublicKeyPackage p, byte[] merkleRoot) {
    Scalar t = TapTweak.tweak(p.verifyingKey(), merkleRoot);
    Point tg = Point.multiplyGenerator(t);
    PublicKeyPackage even = withEvenY(p);
    SortedMap<Identifier, Point> shares = new TreeMap<>();
    even.verifyingShares().forEach((id, share) -> shares.put(id, share.add(tg)));
    return new PublicKeyPackage(shares, even.verifyingKey().add(tg), even.minSigners());
  }
}
