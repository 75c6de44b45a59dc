package io.mpcw.crypto.schnorr;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.ec.Secp256k1Backend;
import io.mpcw.crypto.ec.Secp256k1Backends;
import io.mpcw.crypto.hash.TaggedHash;

/**
 * BIP-340 Schnorr signatures over secp256k1 with x-only public keys.
 *
 * <p>Wrong lengths are malformed input ({@link CryptoFormatException}); well-formed bytes that do
 * not make a valid key or signature (x not on the curve, r ≥ p, s ≥ n) simply fail verification, as
 * BIP-340 specifies.
 */
public final class Bip340 {
  public static final int SIGNATURE_BYTES = 64;

  private Bip340() {}

  /** The 32-byte x-only public key of a 32-byte secret key. */
  public static byte[] publicKey(byte[] seckey32) {
    return Point.multiplyGenerator(Scalar.decodeNonZero(seckey32)).encodeXOnly();
  }

  /**
   * Signs {@code msg} (any length) with the secret key and 32 bytes of auxiliary randomness, on the
   * active {@link Secp256k1Backend}; the signature is verified before it is returned.
   *
   * @throws CryptoFormatException for a key that is not in [1, n) or aux that is not 32 bytes
   */
  public static byte[] sign(byte[] msg, byte[] seckey32, byte[] aux32) {
    requireMessage(msg);
    requireAux(aux32);
    return signAndCheck(msg, seckey32, publicKey(seckey32), aux32);
  }

  /**
   * As {@link #sign(byte[], byte[], byte[])}, for a long-lived key whose x-only public key the
   * caller derived once (deriving it again for each signature's check is one {@code k·G} per
   * signature). The signature is still verified against that key before it is returned, so a key
   * that does not belong to {@code seckey32} never lets a signature out.
   *
   * @throws CryptoFormatException for a key that is not in [1, n), a public key that is not 32
   *     bytes or aux that is not 32 bytes
   * @throws IllegalStateException when the signature does not verify under {@code xOnlyPub32}
   */
  public static byte[] sign(byte[] msg, byte[] seckey32, byte[] xOnlyPub32, byte[] aux32) {
    requireMessage(msg);
    requireAux(aux32);
    requireXOnlyKey(xOnlyPub32);
    return signAndCheck(msg, seckey32, xOnlyPub32, aux32);
  }

  private static byte[] signAndCheck(byte[] msg, byte[] seckey32, byte[] xOnlyPub32, byte[] aux32) {
    Scalar.decodeNonZero(seckey32);
    Secp256k1Backend backend = Secp256k1Backends.active();
    byte[] sig = backend.signSchnorr(msg, seckey32, aux32);
    // BIP-340 recommends verifying before release: a fault during signing could leak the key.
    if (!backend.verifySchnorr(msg, xOnlyPub32, sig)) {
      throw new IllegalStateException("produced signature does not verify");
    }
    return sig;
  }

  /**
   * Verifies a 64-byte signature of {@code msg} under a 32-byte x-only key, on the active {@link
   * Secp256k1Backend}.
   *
   * @throws CryptoFormatException when the key is not 32 bytes or the signature not 64
   */
  public static boolean verify(byte[] msg, byte[] xonlyPub32, byte[] sig64) {
    requireMessage(msg);
    requireXOnlyKey(xonlyPub32);
    if (sig64 == null || sig64.length != SIGNATURE_BYTES) {
      throw new CryptoFormatException("a BIP-340 signature is 64 bytes");
    }
    return Secp256k1Backends.active().verifySchnorr(msg, xonlyPub32, sig64);
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

  private static void requireAux(byte[] aux32) {
    if (aux32 == null || aux32.length != 32) {
      throw new CryptoFormatException("aux_rand is 32 bytes");
    }
  }

  private static void requireXOnlyKey(byte[] xOnlyPub32) {
    if (xOnlyPub32 == null || xOnlyPub32.length != 32) {
      throw new CryptoFormatException("an x-only public key is 32 bytes");
    }
  }
}
