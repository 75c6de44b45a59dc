package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.hash.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * What distinguishes one FROST ciphersuite from another (RFC 9591 §6): the hash functions, the
 * challenge, the signature encoding, and the hooks a BIP-340 suite needs to keep every public key
 * and the group commitment at even y. {@link Frost} and the DKG are written once against this.
 */
public interface Ciphersuite {
  /** The RFC 9591 contextString, e.g. {@code FROST-secp256k1-SHA256-v1}. */
  String contextString();

  /** H1: the binding factor. */
  default Scalar h1(byte[] m) {
    return HashToScalar.hash(contextString() + "rho", m);
  }

  /** H3: nonce derivation. */
  default Scalar h3(byte[] m) {
    return HashToScalar.hash(contextString() + "nonce", m);
  }

  /** H4: message digest in the binding factor input. */
  default byte[] h4(byte[] m) {
    return Sha256.of((contextString() + "msg").getBytes(StandardCharsets.UTF_8), m);
  }

  /** H5: commitment list digest in the binding factor input. */
  default byte[] h5(byte[] m) {
    return Sha256.of((contextString() + "com").getBytes(StandardCharsets.UTF_8), m);
  }

  /** The DKG proof-of-knowledge challenge hash. */
  default Scalar hdkg(byte[] m) {
    return HashToScalar.hash(contextString() + "dkg", m);
  }

  /** The signature challenge c over group commitment R, group key and message (uses H2). */
  Scalar challenge(Point groupCommitment, Point groupKey, byte[] message);

  /** Encodes (R, z) as this suite's signature bytes. */
  byte[] encodeSignature(Point r, Scalar z);

  /** Decodes this suite's signature bytes; malformed input gives a CryptoFormatException. */
  SchnorrSignature decodeSignature(byte[] signature);

  /** Verifies a group signature under the group key exactly as a third-party verifier would. */
  boolean verify(byte[] message, byte[] signature, Point groupKey);

  /**
   * Whether the signers must act as if the group commitment had even y (BIP-340): then, when R has
   * an odd y, nonces are negated in round 2 and commitment shares negated in share verification.
   */
  boolean requiresEvenGroupCommitment();

  /** The key package a signer really signs with (BIP-340 suites negate it to an even group key). */
  KeyPackage preSign(KeyPackage keyPackage);

  /** The public key package a coordinator really verifies with (same normalisation as preSign). */
  PublicKeyPackage preAggregate(PublicKeyPackage publicKeyPackage);

  /** Post-processing of DKG output (the Taproot suite applies the BIP-86 TapTweak here). */
  KeyGenerationResult postDkg(KeyPackage keyPackage, PublicKeyPackage publicKeyPackage);
}
