package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;

/**
 * One signer's long-lived key material: its secret share s_i, its verifying share s_i·G, the group
 * key, and the threshold. Never printed with its secret; the encoding contains the secret and must
 * only be stored encrypted.
 */
public final class KeyPackage {
  private static final int VERSION = 1;

  private final Identifier identifier;
  private final Scalar signingShare;
  private final Point verifyingShare;
  private final Point verifyingKey;
  private final int minSigners;

  public KeyPackage(
      Identifier identifier,
      Scalar signingShare,
      Point verifyingShare,
      Point verifyingKey,
      int minSigners) {
    if (minSigners < 1 || minSigners > 0xffff) {
      throw new CryptoFormatException("minSigners out of range");
    }
    if (verifyingShare.isIdentity() || verifyingKey.isIdentity()) {
      throw new CryptoFormatException("key package points must not be the identity");
    }
    this.identifier = identifier;
    this.signingShare = signingShare;
    this.verifyingShare = verifyingShare;
    this.verifyingKey = verifyingKey;
    this.minSigners = minSigners;
  }

  public Identifier identifier() {
    return identifier;
  }

  public Scalar signingShare() {
    return signingShare;
  }

  public Point verifyingShare() {
    return verifyingShare;
  }

  public Point verifyingKey() {
    return verifyingKey;
  }

  public int minSigners() {
    return minSigners;
  }

  /** version(1) || minSigners(2) || id(32) || s_i(32) || Y_i(33) || Y(33): 133 bytes. */
  public byte[] encode() {
    return new ByteWriter()
        .u8(VERSION)
        .u16(minSigners)
        .identifier(identifier)
        .scalar(signingShare)
        .point(verifyingShare)
        .point(verifyingKey)
        .toByteArray();
  }

  /**
   * Decodes and checks that the verifying share matches the secret share, so a corrupted or
   * mismatched record is refused at load time rather than producing invalid signature shares.
   */
  public static KeyPackage decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "key package");
    in.expectVersion(VERSION);
    int minSigners = in.u16();
    Identifier id = in.identifier();
    Scalar share = in.scalar();
    Point verifyingShare = in.point();
    Point verifyingKey = in.point();
    in.requireEnd();
    if (!Point.multiplyGenerator(share).equals(verifyingShare)) {
      throw new CryptoFormatException("key package: verifying share does not match the share");
    }
    return new KeyPackage(id, share, verifyingShare, verifyingKey, minSigners);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPackage k
        && identifier.equals(k.identifier)
        && signingShare.equals(k.signingShare)
        && verifyingShare.equals(k.verifyingShare)
        && verifyingKey.equals(k.verifyingKey)
        && minSigners == k.minSigners;
  }

  @Override
  public int hashCode() {
    return identifier.hashCode() * 31 + verifyingShare.hashCode();
  }

  @Override
  public String toString() {
    return "KeyPackage[id="
        + identifier
        + ", verifyingKey="
        + verifyingKey
        + ", minSigners="
        + minSigners
        + ", signingShare=redacted]";
  }
}
