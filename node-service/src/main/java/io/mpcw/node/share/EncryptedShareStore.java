package io.mpcw.node.share;

import io.mpcw.protocol.share.ShareEpochs;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's wallet shares, one AES-256-GCM file per wallet ({@code <wallet-id>.share}). Every
 * file is opened when the store opens, so a wrong key or a damaged file stops the node at startup
 * instead of at its first signature; a small key-check file, written on first start, detects a
 * wrong key even before the first wallet exists.
 *
 * <p>A share is written to a temporary file, synced, then hard-linked to its final name: the link
 * fails if the name exists, so a share is never overwritten, and a crash leaves either no share or
 * a complete one (temporary leftovers are removed at the next start).
 *
 * <p>A refresh stages the next epoch's share in {@code <wallet-id>.next} beside the current one;
 * its commit renames it over {@code <wallet-id>.share} (atomic: a crash leaves the old epoch or the
 * new one, never neither), which unlinks the old epoch's file. A staged file whose epoch is not
 * after the current one is a leftover of a commit and is removed at start. A reshare may stage a
 * share with no current one beside it (this node joins the wallet), or erase both files (it
 * leaves).
 */
public final class EncryptedShareStore implements ShareStore {

  private static final Logger log = LoggerFactory.getLogger(EncryptedShareStore.class);
  static final String KEY_CHECK_FILE = "key-check";
  static final String SUFFIX = ".share";
  static final String STAGED_SUFFIX = ".next";
  private static final Pattern SHARE_FILE =
      Pattern.compile("([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.share");
  private static final String TEMP_PREFIX = ".tmp-";
  private static final UUID KEY_CHECK_ID = new UUID(0, 0);
  private static final byte[] KEY_CHECK =
      "mpcw/share-key-check/v1".getBytes(StandardCharsets.US_ASCII);

  private final Path dir;
  private final String nodeId;
  private final ShareCipher cipher;
  private final SecureRandom random;
  private final Map<UUID, WalletShare> shares = new ConcurrentHashMap<>();
  private final Map<UUID, WalletShare> staged = new ConcurrentHashMap<>();

  private EncryptedShareStore(Path dir, String nodeId, ShareCipher cipher, SecureRandom random) {
    this.dir = dir;
    this.nodeId = nodeId;
    this.cipher = cipher;
    this.random = random;
  }

  /**
   * Opens (creating on first start) the store of {@code nodeId} in {@code dir} and reads every
   * share in it.
   *
   * @throws ShareStoreException when the key does not open the store or a share file is damaged
   */
  public static EncryptedShareStore open(
      Path dir, String nodeId, SecretKey key, SecureRandom random) {
    EncryptedShareStore store =
        new EncryptedShareStore(dir, nodeId, new ShareCipher(key, nodeId, random), random);
    store.prepareDirectory();
    boolean keyChecked = store.checkKey();
    store.loadShares(keyChecked);
    if (!keyChecked) {
      store.writeKeyCheck();
    }
    return store;
  }

  @Override
  public Optional<WalletShare> find(UUID walletId) {
    return Optional.ofNullable(shares.get(walletId));
  }

  @Override
  public synchronized void save(WalletShare share) {
    if (!share.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException(
          "share of " + share.nodeId() + " offered to the store of " + nodeId);
    }
    Path target = shareFile(share.walletId());
    if (shares.containsKey(share.walletId()) || Files.exists(target)) {
      throw new IllegalStateException("a share for wallet " + share.walletId() + " exists");
    }
    byte[] plaintext = ShareCodec.encode(share);
    try {
      writeNew(target, cipher.seal(share.walletId(), plaintext));
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("a share for wallet " + share.walletId() + " exists", e);
    } catch (IOException e) {
      // the DKG fails then, and is run again: a share that is not durable was never made
      throw new ShareStoreException("cannot write the share file " + target + ": " + e, e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    shares.put(share.walletId(), share);
    log.info("stored the share of wallet {} (encrypted) in {}", share.walletId(), target);
  }

  @Override
  public Optional<WalletShare> staged(UUID walletId, long epoch) {
    return Optional.ofNullable(staged.get(walletId)).filter(s -> s.epoch() == epoch);
  }

  @Override
  public synchronized void stage(WalletShare next) {
    if (!next.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException(
          "share of " + next.nodeId() + " offered to the store of " + nodeId);
    }
    ShareEpochs.requireStageable(shares.get(next.walletId()), next);
    Path target = stagedFile(next.walletId());
    byte[] plaintext = ShareCodec.encode(next);
    try {
      Files.deleteIfExists(target);
      writeNew(target, cipher.seal(next.walletId(), plaintext));
    } catch (IOException e) {
      throw new ShareStoreException("cannot write the staged share " + target + ": " + e, e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    staged.put(next.walletId(), next);
    log.info("staged the share of wallet {} for epoch {}", next.walletId(), next.epoch());
  }

  @Override
  public synchronized void commit(UUID walletId, long epoch) {
    WalletShare current = shares.get(walletId);
    if (current != null && current.epoch() == epoch) {
      return;
    }
    WalletShare next =
        staged(walletId, epoch).orElseThrow(() -> ShareEpochs.nothingToCommit(walletId, epoch));
    try {
      Files.move(
          stagedFile(walletId),
          shareFile(walletId),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } catch (IOException e) {
      throw new ShareStoreException("cannot commit epoch " + epoch + " of wallet " + walletId, e);
    }
    shares.put(walletId, next);
    staged.remove(walletId);
    log.info("wallet {} now at key epoch {}; the earlier share is erased", walletId, epoch);
  }

  @Override
  public synchronized void discard(UUID walletId, long epoch) {
    if (staged(walletId, epoch).isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(stagedFile(walletId));
      syncDirectory();
    } catch (IOException e) {
      throw new ShareStoreException("cannot discard the staged share of " + walletId, e);
    }
    staged.remove(walletId);
    log.info("discarded the staged share of wallet {} for epoch {}", walletId, epoch);
  }

  @Override
  public synchronized void erase(UUID walletId, long epoch) {
    WalletShare current = shares.get(walletId);
    if (current != null && current.epoch() >= epoch) {
      throw ShareEpochs.stillAParticipant(walletId, current.epoch(), epoch);
    }
    try {
      Files.deleteIfExists(stagedFile(walletId));
      Files.deleteIfExists(shareFile(walletId));
      syncDirectory();
    } catch (IOException e) {
      throw new ShareStoreException("cannot erase the share of wallet " + walletId, e);
    }
    shares.remove(walletId);
    staged.remove(walletId);
    log.info("wallet {} left at key epoch {}: this node's share is erased", walletId, epoch);
  }

  /** How many wallet shares this node holds. */
  public int size() {
    return shares.size();
  }

  public Path directory() {
    return dir;
  }

  private Path shareFile(UUID walletId) {
    return dir.resolve(walletId + SUFFIX);
  }

  private Path stagedFile(UUID walletId) {
    return dir.resolve(walletId + STAGED_SUFFIX);
  }

  private void prepareDirectory() {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        log.info("created the share directory {}", dir.toAbsolutePath());
      }
      try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
        for (Path leftover : leftovers) {
          // a write the process did not finish: it was never linked to a share name
          Files.delete(leftover);
          log.warn("removed the unfinished share write {}", leftover);
        }
      }
    } catch (IOException e) {
      throw new ShareStoreException(
          "cannot use the share directory "
              + dir.toAbsolutePath()
              + " (mpcw.node.shares.dir / MPCW_NODE_SHARES_DIR): "
              + e,
          e);
    }
  }

  /** Whether the key check exists and opens; false when there is none yet. */
  private boolean checkKey() {
    Path check = dir.resolve(KEY_CHECK_FILE);
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
              + dir.toAbsolutePath()
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
  private void writeKeyCheck() {
    Path check = dir.resolve(KEY_CHECK_FILE);
    try {
      writeNew(check, cipher.seal(KEY_CHECK_ID, KEY_CHECK));
    } catch (IOException e) {
      throw new ShareStoreException("cannot write " + check.toAbsolutePath() + ": " + e, e);
    }
    log.info("share key check written to {}", check.toAbsolutePath());
  }

  private void loadShares(boolean keyChecked) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        Matcher name = SHARE_FILE.matcher(file.getFileName().toString());
        if (!name.matches()) {
          throw new ShareStoreException(
              "unexpected file " + file.toAbsolutePath() + " in the share directory");
        }
        UUID walletId = UUID.fromString(name.group(1));
        shares.put(walletId, read(file, walletId, keyChecked));
      }
    } catch (IOException e) {
      throw new ShareStoreException(
          "cannot read the share directory " + dir.toAbsolutePath() + ": " + e, e);
    }
    loadStaged(keyChecked);
    log.info("share store {} open with {} wallet share(s)", dir.toAbsolutePath(), shares.size());
  }

  /** Staged shares wait for their commit; one not after the current epoch was committed. */
  private void loadStaged(boolean keyChecked) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + STAGED_SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        Matcher m = SHARE_FILE.matcher(name.replace(STAGED_SUFFIX, SUFFIX));
        if (!m.matches()) {
          throw new ShareStoreException(
              "unexpected file " + file.toAbsolutePath() + " in the share directory");
        }
        UUID walletId = UUID.fromString(m.group(1));
        WalletShare next = read(file, walletId, keyChecked);
        WalletShare current = shares.get(walletId);
        // without a current share, a staged one is this node's joining a wallet by a reshare
        if (current != null && next.epoch() <= current.epoch()) {
          Files.delete(file);
          log.info("removed the leftover staged share {} (epoch {})", file, next.epoch());
        } else {
          staged.put(walletId, next);
        }
      }
    } catch (IOException e) {
      throw new ShareStoreException(
          "cannot read the share directory " + dir.toAbsolutePath() + ": " + e, e);
    }
  }

  private WalletShare read(Path file, UUID walletId, boolean keyChecked) throws IOException {
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

  /**
   * Temporary file, fsync, hard link to {@code target} (fails if it exists), fsync the directory.
   */
  private void writeNew(Path target, byte[] content) throws IOException {
    Path temp = dir.resolve(TEMP_PREFIX + Long.toHexString(random.nextLong()));
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.createLink(target, temp);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory();
  }

  private void syncDirectory() throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
