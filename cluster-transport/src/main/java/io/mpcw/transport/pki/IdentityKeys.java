package io.mpcw.transport.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;

/** Signs with an identity's key and verifies against a peer's certificate (e.g. signed votes). */
public final class IdentityKeys {

  public static final String ALGORITHM = "SHA256withECDSA";

  private IdentityKeys() {}

  /** DER-encoded ECDSA signature of {@code data}. */
  public static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot sign with " + key.getAlgorithm() + " key", e);
    }
  }

  public static byte[] sign(IdentityCredentials identity, byte[] data) {
    return sign(identity.privateKey(), data);
  }

  /**
   * True when {@code signature} is {@code signer}'s signature of {@code data}; a malformed
   * signature is simply not valid. Checking that {@code signer} itself is trusted is the caller's
   * job ({@link PeerIdentity#fromCertificate}).
   */
  public static boolean verify(X509Certificate signer, byte[] data, byte[] signature) {
    return verify(signer.getPublicKey(), data, signature, VerifiedSignatures.shared());
  }

  /**
   * As {@link #verify(X509Certificate, byte[], byte[])} with the public key itself; a triple found
   * valid before is answered from {@code seen} without the ECDSA arithmetic.
   */
  static boolean verify(PublicKey key, byte[] data, byte[] signature, VerifiedSignatures seen) {
    var entry =
        VerifiedSignatures.entry(
            VerifiedSignatures.Kind.DATA_SIGNATURE, key.getEncoded(), data, signature);
    if (seen.known(entry)) {
      return true;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(data);
      if (!verifier.verify(signature)) {
        return false;
      }
    } catch (SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot verify with " + key.getAlgorithm() + " key", e);
    }
    seen.remember(entry);
    return true;
  }
}
