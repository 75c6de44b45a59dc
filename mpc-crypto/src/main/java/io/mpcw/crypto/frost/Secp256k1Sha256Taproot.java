package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import java.util.Arrays;

/**
 * {@code FROST-secp256k1-SHA256-TR-v1}, interoperable with the Zcash Foundation's
 * frost-secp256k1-tr: RFC 9591's hashes under its own context string, but the BIP-340 challenge
 * over x-only R and group key, keys and R kept at even y, 64-byte BIP-340 signatures, and the
 * BIP-86 TapTweak applied to DKG output (so a DKG's verifying key is already the Taproot output
 * key).
 */
public final class Secp256k1Sha256Taproot implements Ciphersuite {
  public static final Secp256k1Sha256Taproot INSTANCE = new Secp256k1Sha256Taproot();

  private Secp256k1Sha256Taproot() {}

  @Override
  public String contextString() {
    return "FROST-secp256k1-SHA256-TR-v1";
  }

  @Override
  public Scalar challenge(Point groupCommitment, Point groupKey, byte[] message) {
    return Bip340.challenge(groupCommitment.encodeXOnly(), groupKey.encodeXOnly(), message);
  }

  @Override
  public byte[] encodeSignature(Point r, Scalar z) {
    return Bytes.concat(r.encodeXOnly(), z.encode());
  }

  @Override
  public SchnorrSignature decodeSignature(byte[] signature) {
    if (signature == null || signature.length != Bip340.SIGNATURE_BYTES) {
      throw new CryptoFormatException("signature is 64 bytes");
    }
    return new SchnorrSignature(
        Point.decodeXOnly(Arrays.copyOfRange(signature, 0, 32)),
        Scalar.decode(Arrays.copyOfRange(signature, 32, 64)));
  }

  @Override
  public boolean verify(byte[] message, byte[] signature, Point groupKey) {
    if (signature == null || signature.length != Bip340.SIGNATURE_BYTES) {
      return false;
    }
    return Bip340.verify(message, groupKey.encodeXOnly(), signature);
  }

  @Override
  public boolean requiresEvenGroupCommitment() {
    return true;
  }

  @Override
  public KeyPackage preSign(KeyPackage keyPackage) {
    return TaprootKeys.withEvenY(keyPackage);
  }

  @Override
  public PublicKeyPackage preAggregate(PublicKeyPackage publicKeyPackage) {
    return TaprootKeys.withEvenY(publicKeyPackage);
  }

  /**
   * Commits the group key to an unspendable script path (BIP-341's advice for key-path-only
   * outputs): without it, one participant could later claim a script path that was never agreed.
   */
  @Override
  public KeyGenerationResult postDkg(KeyPackage keyPackage, PublicKeyPackage publicKeyPackage) {
    return new KeyGenerationResult(
        TaprootKeys.tweak(keyPackage, new byte[0]),
        TaprootKeys.tweak(publicKeyPackage, new byte[0]));
  }

  @Override
  public String toString() {
    return contextString();
  }
}
