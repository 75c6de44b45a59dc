package io.mpcw.node.share;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Reads the AES-256 share key from configuration; errors name the settings, never the value. */
public final class ShareKey {

  static final int BYTES = 32;
  static final String SETTINGS =
      "mpcw.node.shares.key (env MPCW_SHARE_KEY, base64 of 32 random bytes)"
          + " or mpcw.node.shares.key-file (env MPCW_SHARE_KEY_FILE, a file holding it)";

  private ShareKey() {}

  /**
   * @throws ShareStoreException when no key, both settings, or a value that is not 32 bytes of
   *     base64 is configured
   */
  public static SecretKey from(ShareStoreProperties properties) {
    boolean inline = !properties.key().isBlank();
    boolean file = !properties.keyFile().isBlank();
    if (inline && file) {
      throw new ShareStoreException(
          "both mpcw.node.shares.key and mpcw.node.shares.key-file are set; set only one");
    }
    if (!inline && !file) {
      throw new ShareStoreException(
          "no share encryption key: the node keeps wallet shares only encrypted; set " + SETTINGS);
    }
    String encoded = inline ? properties.key() : read(Path.of(properties.keyFile()));
    String source = inline ? "mpcw.node.shares.key" : "the key file " + properties.keyFile();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes the offending character: left out on purpose
      throw new ShareStoreException(source + " is not base64; expected 32 bytes in base64");
    }
    try {
      if (bytes.length != BYTES) {
        throw new ShareStoreException(
            source + " holds " + bytes.length + " bytes; the share key must be 32 bytes");
      }
      return new SecretKeySpec(bytes, "AES");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ShareStoreException(
          "cannot read the share key file "
              + file.toAbsolutePath()
              + " (mpcw.node.shares.key-file / MPCW_SHARE_KEY_FILE): "
              + e.getClass().getSimpleName());
    }
  }
}
