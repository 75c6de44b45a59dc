package io.mpcw.node.share;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM of one share file: {@code "MPCW-SHARE" || version || 12-byte nonce || ciphertext ||
 * tag}, with a fresh random nonce per write. The associated data binds the box to this node, this
 * wallet and the format version, so a file renamed to another wallet, copied to another node or
 * downgraded does not open.
 */
final class ShareCipher {

  static final byte VERSION = 1;
  private static final byte[] MAGIC = "MPCW-SHARE".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AAD_LABEL = "mpcw/share/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int HEADER = MAGIC.length + 1 + NONCE_BYTES;

  private final SecretKey key;
  private final String nodeId;
  private final SecureRandom random;

  ShareCipher(SecretKey key, String nodeId, SecureRandom random) {
    this.key = key;
    this.nodeId = nodeId;
    this.random = random;
  }

  byte[] seal(UUID walletId, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(aad(walletId, VERSION));
      byte[] sealed = gcm.doFinal(plaintext);
      return ByteBuffer.allocate(HEADER + sealed.length)
          .put(MAGIC)
          .put(VERSION)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every Java 17 runtime", e);
    }
  }

  /**
   * @throws WrongKeyOrDamaged when the box does not open (wrong key, other node or wallet, modified
   *     bytes)
   * @throws ShareStoreException when the bytes are not a share file of a known version
   */
  byte[] open(UUID walletId, byte[] file) throws WrongKeyOrDamaged {
    if (file.length < HEADER + TAG_BITS / 8
        || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
      throw new WrongKeyOrDamaged("not a share file");
    }
    byte version = file[MAGIC.length];
    if (version != VERSION) {
      throw new WrongKeyOrDamaged("unknown share file version " + version);
    }
    byte[] nonce = Arrays.copyOfRange(file, MAGIC.length + 1, HEADER);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(aad(walletId, version));
      return gcm.doFinal(file, HEADER, file.length - HEADER);
    } catch (AEADBadTagException e) {
      throw new WrongKeyOrDamaged("authentication tag does not verify");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is part of every Java 17 runtime", e);
    }
  }

  private byte[] aad(UUID walletId, byte version) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(AAD_LABEL);
      byte[] node = nodeId.getBytes(StandardCharsets.UTF_8);
      out.writeShort(node.length);
      out.write(node);
      out.writeLong(walletId.getMostSignificantBits());
      out.writeLong(walletId.getLeastSignificantBits());
      out.writeByte(version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The box did not open; the caller knows whether that means a wrong key or a damaged file. */
  static final class WrongKeyOrDamaged extends Exception {
    WrongKeyOrDamaged(String message) {
      super(message, null, false, false);
    }
  }
}
