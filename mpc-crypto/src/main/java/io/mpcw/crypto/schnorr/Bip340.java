package io.mpcw.crypto.schnorr;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.hash.TaggedHash;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * BIP-340 Schnorr signatures over secp256k1 with x-only public keys.
 *
 * <p>Wrong lengths are malformed input ({@link CryptoFormatException}); well-formed bytes that do
 * not make a valid key or signature (x not on the curve, r ≥ p, s ≥ n) simply fail verification, as
 * BIP-340 specifies.
 */
public final class Bip340 {
  public static final int SIGNATURE_BYTES = 64;
  private static final BigInteger FIELD_PRIME =
      new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16);

  private Bip340() {}

  /** The 32-byte x-only public key of a 32-byte secret key. */
  public static byte[] publicKey(byte[] seckey32) {
    return Point.multiplyGenerator(Scalar.decodeNonZero(seckey32)).encodeXOnly();
  }

  /**
   * Signs {@code msg} (any length) with the secret key and 32 bytes of auxiliary randomness.
   *
   * @throws CryptoFormatException for a key that is not in [1, n) or aux that is not 32 bytes
   */
  public static byte[] sign(byte[] msg, byte[] seckey32, byte[] aux32) {
    requireMessage(msg);
    if (aux32 == null || aux32.length != 32) {
      throw new CryptoFormatException("aux_rand is 32 bytes");
    }
    Scalar d0 = Scalar.decodeNonZero(seckey32);
    Point p = Point.multiplyGenerator(d0);
    Scalar d = p.hasEvenY() ? d0 : d0.negate();
    byte[] px = p.encodeXOnly();
    byte[] t = xor(d.encode(), TaggedHash.hash(TaggedHash.BIP340_AUX, aux32));
    Scalar k0 = Scalar.reduce(TaggedHash.hash(TaggedHash.BIP340_NONCE, t, px, msg));
    Arrays.fill(t, (byte) 0);
    if (k0.isZero()) {
      throw new IllegalStateException("nonce hashed to zero");
    }
    Point r = Point.multiplyGenerator(k0);
    Scalar k = r.hasEvenY() ? k0 : k0.negate();
    byte[] rx = r.encodeXOnly();
    Scalar e = challenge(rx, px, msg);
    byte[] sig = concat(rx, k.add(e.multiply(d)).encode());
    // BIP-340 recommends verifying before release: a fault during signing could leak the key.
    if (!verify(msg, px, sig)) {
      throw new IllegalStateException("produced signature does not verify");
    }
    return sig;
  }

  /**
   * Verifies a 64-byte signature of {@code msg} under a 32-byte x-only key.
   *
   * @throws CryptoFormatException when the key is not 32 bytes or the signature not 64
   */
  public static boolean verify(byte[] msg, byte[] xonlyPub32, byte[] sig64) {
    requireMessage(msg);
    if (xonlyPub32 == null || xonlyPub32.length != 32) {
      throw new CryptoFormatException("an x-only public key is 32 bytes");
    }
    if (sig64 == null || sig64.length != SIGNATURE_BYTES) {
      throw new CryptoFormatException("a BIP-340 signature is 64 bytes");
    }
    Point p;
    try {
      p = Point.decodeXOnly(xonlyPub32);
    } catch (CryptoFormatException e) {
      return false;
    }
    byte[] rx = Arrays.copyOfRange(sig64, 0, 32);
    if (new BigInteger(1, rx).compareTo(FIELD_PRIME) >= 0) {
      return false;
    }
    Scalar s;
    try {
      s = Scalar.decode(Arrays.copyOfRange(sig64, 32, 64));
    } catch (CryptoFormatException e) {
      return false;
    }
    Scalar e = challenge(rx, xonlyPub32, msg);
    Point r = Point.sumOfTwoMultiplies(s, p, e.negate());
    return !r.isIdentity() && r.hasEvenY() && Arrays.equals(r.encodeXOnly(), rx);
  }

  /** {@code int(hash_BIP0340/challenge(rx || px || msg)) mod n}. */
  public static Scalar challenge(byte[] rx, byte[] px, byte[] msg) {
    return Scalar.reduce(TaggedHash.hash(TaggedHash.BIP340_CHALLENGE, rx, px, msg));
  }

  private static void requireMessage(byte[] msg) {
    if (msg == null) {
      throw new CryptoFormatException("message is required (it may be empty)");
    }
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
