package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;

/** A signer's public round-1 output: its hiding and binding nonce commitments (D_i, E_i). */
public record SigningCommitments(Identifier identifier, Point hiding, Point binding) {
  public static final int BYTES = Identifier.BYTES + 2 * Point.COMPRESSED_BYTES;

  public SigningCommitments {
    if (hiding.isIdentity() || binding.isIdentity()) {
      throw new CryptoFormatException("nonce commitments must not be the identity");
    }
  }

  /** id(32) || D(33) || E(33): also the per-signer item of RFC 9591's encoded commitment list. */
  public byte[] encode() {
    return new ByteWriter().identifier(identifier).point(hiding).point(binding).toByteArray();
  }

  public static SigningCommitments decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "signing commitments");
    SigningCommitments c = read(in);
    in.requireEnd();
    return c;
  }

  static SigningCommitments read(ByteReader in) {
    return new SigningCommitments(in.identifier(), in.point(), in.point());
  }
}
