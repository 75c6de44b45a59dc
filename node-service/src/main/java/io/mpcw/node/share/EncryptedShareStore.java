package io.mpcw.node.share;

import io.mpcw.protocol.share.ShareEpochs;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>The directory layout and its atomic writes are {@link ShareFiles}; sealing, opening and the
 * key check are {@link SealedShareFiles}; this class keeps the epochs of each wallet straight.
 */
public final class EncryptedShareStore implements ShareStore {

  private static final Logger log = LoggerFactory.getLogger(EncryptedShareStore.class);

  private final String nodeId;
  private final ShareFiles files;
  private final SealedShareFiles sealed;
  private final Map<UUID, WalletShare> shares = new ConcurrentHashMap<>();
  private final Map<UUID, WalletShare> staged = new ConcurrentHashMap<>();

  private EncryptedShareStore(String nodeId, ShareFiles files, SealedShareFiles sealed) {
    this.nodeId = nodeId;
    this.files = files;
    this.sealed = sealed;
  }

  /**
   * Opens (creating on first start) the store of {@code nodeId} in {@code dir} and reads every
   * share in it.
   *
   * @throws ShareStoreException when the key does not open the store or a share file is damaged
   */
  public static EncryptedShareStore open(
      Path dir, String nodeId, SecretKey key, SecureRandom random) {
    ShareFiles files = new ShareFiles(dir, random);
    SealedShareFiles sealed =
        new SealedShareFiles(files, new ShareCipher(key, nodeId, random), nodeId);
    EncryptedShareStore store = new EncryptedShareStore(nodeId, files, sealed);
    files.prepare();
    boolean keyChecked = sealed.checkKey();
    store.loadShares(keyChecked);
    if (!keyChecked) {
      sealed.writeKeyCheck();
    }
    return store;
  }

  @Override
  public Optional<WalletShare> find(UUID walletId) {
    return Optional.ofNullable(shares.get(walletId));
  }

  @Override
  public synchronized void save(WalletShare share) {
    requireOwn(share);
    Path target = files.shareFile(share.walletId());
    if (shares.containsKey(share.walletId()) || Files.exists(target)) {
      throw new IllegalStateException("a share for wallet " + share.walletId() + " exists");
    }
    try {
      sealed.writeNew(target, share);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("a share for wallet " + share.walletId() + " exists", e);
    } catch (IOException e) {
      // the DKG fails then, and is run again: a share that is not durable was never made
      throw new ShareStoreException("cannot write the share file " + target + ": " + e, e);
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
    requireOwn(next);
    ShareEpochs.requireStageable(shares.get(next.walletId()), next);
    Path target = files.stagedFile(next.walletId());
    try {
      Files.deleteIfExists(target);
      sealed.writeNew(target, next);
    } catch (IOException e) {
      throw new ShareStoreException("cannot write the staged share " + target + ": " + e, e);
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
      files.promoteStaged(walletId);
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
      files.delete(files.stagedFile(walletId));
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
      files.delete(files.stagedFile(walletId), files.shareFile(walletId));
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
    return files.dir();
  }

  private void requireOwn(WalletShare share) {
    if (!share.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException(
          "share of " + share.nodeId() + " offered to the store of " + nodeId);
    }
  }

  private void loadShares(boolean keyChecked) {
    Path dir = files.dir();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*" + ShareFiles.SUFFIX)) {
      for (Path file : found) {
        UUID walletId = ShareFiles.walletOf(file).orElseThrow(() -> unexpected(file));
        shares.put(walletId, sealed.read(file, walletId, keyChecked));
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
    Path dir = files.dir();
    try (DirectoryStream<Path> found =
        Files.newDirectoryStream(dir, "*" + ShareFiles.STAGED_SUFFIX)) {
      for (Path file : found) {
        UUID walletId = ShareFiles.walletOf(file).orElseThrow(() -> unexpected(file));
        WalletShare next = sealed.read(file, walletId, keyChecked);
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

  private static ShareStoreException unexpected(Path file) {
    return new ShareStoreException(
        "unexpected file " + file.toAbsolutePath() + " in the share directory");
  }
}
