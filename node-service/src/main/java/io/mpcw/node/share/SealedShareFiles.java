package io.mpcw.node.share;

import io.mpcw.protocol.share.WalletShare;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's files read and written through the share key: shares sealed to their wallet and node,
 * and the key check that tells a wrong key from a damaged file. Plaintext is wiped as soon as it is
 * sealed or decoded.
 */
final class SealedShareFiles {
  private static final Logger log = LoggerFactory.getLogger(SealedShareFiles.class);
  private static final UUID KEY_CHECK_ID = new UUID(0, 0);
  private static final byte[] KEY_CHECK =
      "mpcw/share-key-check/v1".getBytes(StandardCharsets.US_ASCII);

  private final ShareFiles files;
  private final ShareCipher cipher;
  private final String nodeId;

  SealedShareFiles(ShareFiles files, ShareCipher cipher, String nodeId) {
    this.files = files;
    this.cipher = cipher;
    this.nodeId = nodeId;
  }

  /** Seals {@code share} into the new file {@code target} (never overwrites one). */
  void writeNew(Path target, WalletShare share) throws IOException {
    byte[] plaintext = ShareCodec.encode(share);
    try {
      files.writeNew(target, cipher.seal(share.walletId(), plaintext));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** Whether the key check exists and opens; false when there is none yet. */
  boolean checkKey() {
    Path check = files.keyCheckFile();
    try {
      if (!Files.exists(check)) {
        return false;
      }
      byte[] opened = cipher.open(KEY_CHECK_ID, Files.readAllBytes(check));
      if (!Arrays.equals(opened, KEY_CHECK)) {
        throw new ShareStoreException(
            "the share key check " + check.toAbsolutePath() + " has unexpected content");
      }
      return true;
    } catch (ShareCipher.WrongKeyOrDamaged e) {
      throw new ShareStoreException(
          "the share key does not match the share store "
              + files.dir().toAbsolutePath()
              + " of "
              + nodeId
              + " (its key check does not open); configure the key this store was created with"
              + " in "
              + ShareKey.SETTINGS);
    } catch (IOException e) {
      throw new ShareStoreException("cannot read or write " + check.toAbsolutePath() + ": " + e, e);
    }
  }

  /** Written once the key has opened every share there is, so it never vouches for a wrong key. */
  void writeKeyCheck() {
    Path check = files.keyCheckFile();
    try {
      files.writeNew(check, cipher.seal(KEY_CHECK_ID, KEY_CHECK));
    } catch (IOException e) {
      throw new ShareStoreException("cannot write " + check.toAbsolutePath() + ": " + e, e);
    }
    log.info("share key check written to {}", check.toAbsolutePath());
  }

  /**
   * Opens and decodes the share in {@code file}, which must be this node's share of {@code
   * walletId}; {@code keyChecked} says whether a failure to open can be blamed on the file.
   */
  WalletShare read(Path file, UUID walletId, boolean keyChecked) throws IOException {
    byte[] plaintext;
    try {
      plaintext = cipher.open(walletId, Files.readAllBytes(file));
    } catch (ShareCipher.WrongKeyOrDamaged e) {
      if (!keyChecked) {
        throw new ShareStoreException(
            "the share file "
                + file.toAbsolutePath()
                + " does not open and the key check file is missing: the share key does not match"
                + " this store, or the file is damaged");
      }
      // the key opened the key check, so this file is what is wrong
      throw new ShareStoreException(
          "the share file "
              + file.toAbsolutePath()
              + " is damaged or was altered: "
              + e.getMessage());
    }
    try {
      WalletShare share = ShareCodec.decode(plaintext);
      if (!share.walletId().equals(walletId) || !share.nodeId().equals(nodeId)) {
        throw new IllegalArgumentException("it holds another wallet's or node's share");
      }
      return share;
    } catch (RuntimeException e) {
      throw new ShareStoreException(
          "the share file "
              + file.toAbsolutePath()
              + " does not hold a valid share: "
              + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }
}
