package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.hash.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * RFC 9380 {@code hash_to_field} for the secp256k1 scalar field with {@code expand_message_xmd}
 * over SHA-256 and L = 48 bytes, as RFC 9591 §6.5 prescribes for H1, H2, H3 and the DKG hashes: 48
 * bytes reduced mod n leave a bias below 2^-128.
 */
final class HashToScalar {
  private static final int OUTPUT_BYTES = 48;
  private static final byte[] Z_PAD = new byte[64];

  private HashToScalar() {}

  static Scalar hash(String domain, byte[] msg) {
    byte[] dst = domain.getBytes(StandardCharsets.UTF_8);
    byte[] dstPrime = new byte[dst.length + 1];
    System.arraycopy(dst, 0, dstPrime, 0, dst.length);
    dstPrime[dst.length] = (byte) dst.length;

    byte[] b0 = Sha256.of(Z_PAD, msg, new byte[] {0, OUTPUT_BYTES, 0}, dstPrime);
    byte[] b1 = Sha256.of(b0, new byte[] {1}, dstPrime);
    byte[] mixed = new byte[32];
    for (int i = 0; i < 32; i++) {
      mixed[i] = (byte) (b0[i] ^ b1[i]);
    }
    byte[] b2 = Sha256.of(mixed, new byte[] {2}, dstPrime);

    byte[] uniform = new byte[OUTPUT_BYTES];
    System.arraycopy(b1, 0, uniform, 0, 32);
    System.arraycopy(b2, 0, uniform, 32, OUTPUT_BYTES - 32);
    return Scalar.reduce(uniform);
  }
}
