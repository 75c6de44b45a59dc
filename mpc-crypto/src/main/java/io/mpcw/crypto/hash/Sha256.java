package io.mpcw.crypto.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests without a provider lookup each. {@code MessageDigest.getInstance} walks the
 * provider list and builds a new SPI through reflection on every call, which the nodes made several
 * times per payment (tagged hashes, vote payloads, journal entries, the signature cache); a clone
 * of one prototype copies its state alone.
 */
public final class Sha256 {
  private static final MessageDigest PROTOTYPE = lookUp();

  private Sha256() {}

  /** A new SHA-256 digest, empty, for one caller's use. */
  public static MessageDigest newDigest() {
    return copyOf(PROTOTYPE);
  }

  /** SHA-256 of the concatenation of {@code parts}. */
  public static byte[] of(byte[]... parts) {
    MessageDigest sha = newDigest();
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  /**
   * A copy of {@code primed} in its current state; the original is left as it was. The copy only
   * reads the original, so one primed digest never updated again may be copied from any thread.
   */
  static MessageDigest copyOf(MessageDigest primed) {
    try {
      return (MessageDigest) primed.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }

  private static MessageDigest lookUp() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      copyOf(digest); // a provider whose digest cannot be copied fails here, at class load
      return digest;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}
