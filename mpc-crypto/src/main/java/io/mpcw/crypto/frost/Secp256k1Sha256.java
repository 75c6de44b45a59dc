package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.util.Arrays;

/**
 * RFC 9591 §6.5 {@code FROST-secp256k1-SHA256-v1}: 65-byte signatures R (compressed) || z. Not
 * BIP-340: use {@link Secp256k1Sha256Taproot} for Bitcoin.
 */
public final class Secp256k1Sha256 implements Ciphersuite {
  public static final Secp256k1Sha256 INSTANCE = new Secp256k1Sha256();
  private static final int SIGNATURE_BYTES = Point.COMPRESSED_BYTES + Scalar.BYTES;

  private Secp256k1Sha256() {}

  @Override
  public String contextString() {
    return "FROST-secp256k1-SHA256-v1";
  }

  @Override
  public Scalar challenge(Point groupCommitment, Point groupKey, byte[] message) {
    return HashToScalar.hash(
        contextString() + "chal",
        Bytes.concat(groupCommitment.encodeCompressed(), groupKey.encodeCompressed(), message));
  }

  @Override
  public byte[] encodeSignature(Point r, Scalar z) {
    return Bytes.concat(r.encodeCompressed(), z.encode());
  }

  @Override
  public SchnorrSignature decodeSignature(byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_BYTES) {
      throw new CryptoFormatException("signature is 65 bytes");
    }
    return new SchnorrSignature(
        Point.decodeCompressed(Arrays.copyOfRange(signature, 0, Point.COMPRESSED_BYTES)),
        Scalar.decode(Arrays.copyOfRange(signature, Point.COMPRESSED_BYTES, SIGNATURE_BYTES)));
  }

  @Override
  public boolean verify(byte[] message, byte[] signature, Point groupKey) {
    SchnorrSignature sig;
    try {
      sig = decodeSignature(signature);
    } catch (CryptoFormatException e) {
      return false;
    }
    Scalar c = challenge(sig.r(), groupKey, message);
    return Point.sumOfTwoMultiplies(sig.z(), groupKey, c.negate()).equals(sig.r());
  }

  @Override
  public boolean requiresEvenGroupCommitment() {
    return false;
  }

  @Override
  public KeyPackage preSign(KeyPackage keyPackage) {
    return keyPackage;
  }

  @Override
  public PublicKeyPackage preAggregate(PublicKeyPackage publicKeyPackage) {
    return publicKeyPackage;
  }

  @Override
  public KeyGenerationResult postDkg(KeyPackage keyPackage, PublicKeyPackage publicKeyPackage) {
    return new KeyGenerationResult(keyPackage, publicKeyPackage);
  }

  @Override
  public String toString() {
    return contextString();
  }
}
