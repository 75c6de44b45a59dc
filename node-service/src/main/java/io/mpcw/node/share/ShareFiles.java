package io.mpcw.node.share;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share directory's layout and its crash-safe writes: {@code <wallet-id>.share} (current
 * epoch), {@code <wallet-id>.next} (staged epoch), the key check, and temporary files that become
 * one of them only once complete and synced. Knows nothing of keys or epochs.
 */
final class ShareFiles {
  private static final Logger log = LoggerFactory.getLogger(ShareFiles.class);
  static final String KEY_CHECK_FILE = "key-check";
  static final String SUFFIX = ".share";
  static final String STAGED_SUFFIX = ".next";
  private static final Pattern WALLET_FILE =
      Pattern.compile(
          "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(share|next)");
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path dir;
  private final SecureRandom random;

  ShareFiles(Path dir, SecureRandom random) {
    this.dir = dir;
    this.random = random;
  }

  Path dir() {
    return dir;
  }

  Path shareFile(UUID walletId) {
    return dir.resolve(walletId + SUFFIX);
  }

  Path stagedFile(UUID walletId) {
    return dir.resolve(walletId + STAGED_SUFFIX);
  }

  Path keyCheckFile() {
    return dir.resolve(KEY_CHECK_FILE);
  }

  /** The wallet a share or staged file belongs to, empty for a name the store never writes. */
  static Optional<UUID> walletOf(Path file) {
    Matcher name = WALLET_FILE.matcher(file.getFileName().toString());
    return name.matches() ? Optional.of(UUID.fromString(name.group(1))) : Optional.empty();
  }

  /** Creates the directory (owner only) on first start and removes unfinished writes. */
  void prepare() {
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

  /**
   * Temporary file, fsync, hard link to {@code target} (fails if it exists), fsync the directory.
   */
  void writeNew(Path target, byte[] content) throws IOException {
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

  /** Renames the staged file over the current one: a crash leaves one epoch or the other. */
  void promoteStaged(UUID walletId) throws IOException {
    Files.move(
        stagedFile(walletId),
        shareFile(walletId),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
  }

  /** Deletes the given files (those that exist), then syncs the directory. */
  void delete(Path... files) throws IOException {
    for (Path file : files) {
      Files.deleteIfExists(file);
    }
    syncDirectory();
  }

  private void syncDirectory() throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
