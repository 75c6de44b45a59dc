package io.mpcw.crypto.dkg;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.ByteReader;
import io.mpcw.crypto.frost.ByteWriter;
import io.mpcw.crypto.frost.SchnorrSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * What a participant broadcasts in DKG round 1: the commitment (a_0·G, ..., a_{t-1}·G) to its
 * secret polynomial and a Schnorr proof of knowledge of a_0, which stops rogue-key attacks.
 */
public record Round1Package(List<Point> commitment, SchnorrSignature proofOfKnowledge) {
  private static final int VERSION = 1;

  public Round1Package {
    if (commitment.isEmpty()) {
      throw new CryptoFormatException("commitment must not be empty");
    }
    commitment = List.copyOf(commitment);
  }

  /** version(1) || count(2) || count × C_k(33) || R(33) || z(32). */
  public byte[] encode() {
    ByteWriter out = new ByteWriter().u8(VERSION).u16(commitment.size());
    commitment.forEach(out::point);
    return out.point(proofOfKnowledge.r()).scalar(proofOfKnowledge.z()).toByteArray();
  }

  public static Round1Package decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "DKG round-1 package");
    in.expectVersion(VERSION);
    int count = in.u16();
    if (count == 0 || in.remaining() != (count + 1) * Point.COMPRESSED_BYTES + 32) {
      throw new CryptoFormatException("DKG round-1 package: length does not match count");
    }
    List<Point> commitment = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commitment.add(in.point());
    }
    SchnorrSignature pok = new SchnorrSignature(in.point(), in.scalar());
    in.requireEnd();
    return new Round1Package(commitment, pok);
  }
}
