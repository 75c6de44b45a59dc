package io.mpcw.crypto.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BIP-340 tagged hashes: {@code SHA256(SHA256(tag) || SHA256(tag) || data...)}.
 *
 * <p>The 64-byte tag prefix is computed once per tag and cached, since the same few tags
 * (challenge, TapTweak, TapSighash, ...) are hashed on every signature.
 */
public final class TaggedHash {
  public static final String BIP340_AUX = "BIP0340/aux";
  public static final String BIP340_NONCE = "BIP0340/nonce";
  public static final String BIP340_CHALLENGE = "BIP0340/challenge";
  public static final String TAP_TWEAK = "TapTweak";
  public static final String TAP_SIGHASH = "TapSighash";
  public static final String TAP_LEAF = "TapLeaf";
  public static final String TAP_BRANCH = "TapBranch";

  private static final Map<String, byte[]> PREFIXES = new ConcurrentHashMap<>();

  private TaggedHash() {}

  /** Hashes the concatenation of {@code parts} under {@code tag}. */
  public static byte[] hash(String tag, byte[]... parts) {
    MessageDigest sha = sha256();
    sha.update(PREFIXES.computeIfAbsent(tag, TaggedHash::prefix));
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  /** Plain SHA-256 of the concatenation of {@code parts}. */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest sha = sha256();
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  private static byte[] prefix(String tag) {
    byte[] tagHash = sha256(tag.getBytes(StandardCharsets.UTF_8));
    byte[] prefix = new byte[64];
    System.arraycopy(tagHash, 0, prefix, 0, 32);
    System.arraycopy(tagHash, 0, prefix, 32, 32);
    return prefix;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}
