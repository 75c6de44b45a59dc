package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The group's public keys: every participant's verifying share, the group key, the threshold. */
public final class PublicKeyPackage {
  private static final int VERSION = 1;

  private final SortedMap<Identifier, Point> verifyingShares;
  private final Point verifyingKey;
  private final int minSigners;

  public PublicKeyPackage(
      Map<Identifier, Point> verifyingShares, Point verifyingKey, int minSigners) {
    if (minSigners < 1 || minSigners > verifyingShares.size()) {
      throw new CryptoFormatException("minSigners must be between 1 and the participant count");
    }
    if (verifyingKey.isIdentity()
        || verifyingShares.values().stream().anyMatch(Point::isIdentity)) {
      throw new CryptoFormatException("public key package points must not be the identity");
    }
    this.verifyingShares = Collections.unmodifiableSortedMap(new TreeMap<>(verifyingShares));
    this.verifyingKey = verifyingKey;
    this.minSigners = minSigners;
  }

  public SortedMap<Identifier, Point> verifyingShares() {
    return verifyingShares;
  }

  public Optional<Point> verifyingShare(Identifier id) {
    return Optional.ofNullable(verifyingShares.get(id));
  }

  public Point verifyingKey() {
    return verifyingKey;
  }

  public int minSigners() {
    return minSigners;
  }

  /** version(1) || minSigners(2) || count(2) || Y(33) || count × (id(32) || Y_i(33)). */
  public byte[] encode() {
    ByteWriter out =
        new ByteWriter()
            .u8(VERSION)
            .u16(minSigners)
            .u16(verifyingShares.size())
            .point(verifyingKey);
    verifyingShares.forEach((id, share) -> out.identifier(id).point(share));
    return out.toByteArray();
  }

  /** Decodes, requiring identifiers in strictly increasing order so each package has one form. */
  public static PublicKeyPackage decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "public key package");
    in.expectVersion(VERSION);
    int minSigners = in.u16();
    int count = in.u16();
    Point verifyingKey = in.point();
    if (in.remaining() != count * (Identifier.BYTES + Point.COMPRESSED_BYTES)) {
      throw new CryptoFormatException("public key package: length does not match count");
    }
    SortedMap<Identifier, Point> shares = new TreeMap<>();
    Identifier previous = null;
    for (int i = 0; i < count; i++) {
      Identifier id = in.identifier();
      if (previous != null && previous.compareTo(id) >= 0) {
        throw new CryptoFormatException("public key package: identifiers not strictly increasing");
      }
      shares.put(id, in.point());
      previous = id;
    }
    in.requireEnd();
    return new PublicKeyPackage(shares, verifyingKey, minSigners);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKeyPackage p
        && verifyingShares.equals(p.verifyingShares)
        && verifyingKey.equals(p.verifyingKey)
        && minSigners == p.minSigners;
  }

  @Override
  public int hashCode() {
    return verifyingKey.hashCode();
  }

  @Override
  public String toString() {
    return "PublicKeyPackage[verifyingKey="
        + verifyingKey
        + ", participants="
        + verifyingShares.keySet()
        + ", minSigners="
        + minSigners
        + "]";
  }
}
