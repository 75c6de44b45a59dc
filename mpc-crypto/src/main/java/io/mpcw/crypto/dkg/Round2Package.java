package io.mpcw.crypto.dkg;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.ByteReader;

/**
 * The secret share f_i(j) that participant i sends to participant j in DKG round 2. It must travel
 * over an encrypted, authenticated channel.
 */
public record Round2Package(Scalar signingShare) {

  public byte[] encode() {
    return signingShare.encode();
  }

  public static Round2Package decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "DKG round-2 package");
    Round2Package p = new Round2Package(in.scalar());
    in.requireEnd();
    return p;
  }

  @Override
  public String toString() {
    return "Round2Package[signingShare=redacted]";
  }
}
