package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Scalar;

/** A signer's round-2 output z_i. */
public record SignatureShare(Identifier identifier, Scalar share) {
  public static final int BYTES = Identifier.BYTES + Scalar.BYTES;

  /** id(32) || z_i(32). */
  public byte[] encode() {
    return new ByteWriter().identifier(identifier).scalar(share).toByteArray();
  }

  public static SignatureShare decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "signature share");
    SignatureShare s = new SignatureShare(in.identifier(), in.scalar());
    in.requireEnd();
    return s;
  }
}
