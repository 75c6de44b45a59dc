package io.mpcw.crypto.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BIP-340 tagged hashes: {@code SHA256(SHA256(tag) || SHA256(tag) || data...)}.
 *
 * <p>A digest that has absorbed the 64-byte tag prefix (one SHA-256 block) is kept per tag and
 * copied for each hash, since the same few tags (challenge, TapTweak, TapSighash, ...) are hashed
 * on every signature: no provider lookup and no compression of the prefix per hash.
 */
public final class TaggedHash {
  public static final String BIP340_AUX = "BIP0340/aux";
  public static final String BIP340_NONCE = "BIP0340/nonce";
  public static final String BIP340_CHALLENGE = "BIP0340/challenge";
  public static final String TAP_TWEAK = "TapTweak";
  public static final String TAP_SIGHASH = "TapSighash";
  public static final String TAP_LEAF = "TapLeaf";
  public static final String TAP_BRANCH = "TapBranch";

  /** Per tag, a digest primed with the tag's prefix and never updated again: only copied. */
  private static final Map<String, MessageDigest> PRIMED = new ConcurrentHashMap<>();

  private TaggedHash() {}

  /** Hashes the concatenation of {@code parts} under {@code tag}. */
  public static byte[] hash(String tag, byte[]... parts) {
    MessageDigest sha = Sha256.copyOf(PRIMED.computeIfAbsent(tag, TaggedHash::primed));
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  private static MessageDigest primed(String tag) {
    byte[] tagHash = Sha256.of(tag.getBytes(StandardCharsets.UTF_8));
    MessageDigest sha = Sha256.newDigest();
    sha.update(tagHash);
    sha.update(tagHash);
    return sha;
  }
}
