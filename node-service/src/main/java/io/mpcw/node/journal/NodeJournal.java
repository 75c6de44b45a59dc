package io.mpcw.node.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node must not forget across restarts, whatever etcd says: the transaction it signed for
 * each payment and the approvals it signed within the daily window. One append-only text file
 * ({@value #FILE}) beside the share files; every entry is a line with a CRC-32C, written and
 * fsynced before the call that records it returns, so what it records is on disk before the
 * signature share or the signed approval leaves the node.
 *
 * <p>A crash can leave at most the last line incomplete (it was never fsynced, so nothing that
 * depended on it left the node): it is dropped at the next start. A damaged line before the last
 * stops the node: the journal is evidence, and guessing would forget a signing. At start, entries
 * the owner no longer needs (approvals older than the window) are dropped by rewriting the file
 * (temporary file, fsync, atomic rename).
 */
public final class NodeJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeJournal.class);
  public static final String FILE = "node-journal";
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.,:-]{1,10000}");

  private final Path file;
  private final List<Entry> loaded;
  private FileChannel channel;

  /** One journal line: what happened, when, and its fields. */
  public record Entry(String kind, Instant at, List<String> fields) {
    public Entry {
      fields = List.copyOf(fields);
    }
  }

  private NodeJournal(Path file, List<Entry> loaded, FileChannel channel) {
    this.file = file;
    this.loaded = List.copyOf(loaded);
    this.channel = channel;
  }

  /**
   * Opens (creating) the journal in {@code dir}, keeping only the entries {@code keep} accepts.
   *
   * @throws JournalException when the file is damaged or cannot be read or written
   */
  public static NodeJournal open(Path dir, Predicate<Entry> keep) {
    Path file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
      List<Entry> entries = new ArrayList<>();
      boolean rewrite = false;
      if (Files.exists(file)) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        // the piece after the last newline: empty, or a line whose write never completed
        boolean tornTail = !lines[lines.length - 1].isEmpty();
        if (tornTail) {
          log.warn("dropping an incomplete last entry of {} (a write cut by a crash)", file);
          rewrite = true;
        }
        for (int i = 0; i < lines.length - 1; i++) {
          Entry entry = parse(lines[i]);
          if (entry == null) {
            if (i == lines.length - 2 && !tornTail) {
              log.warn("dropping a damaged last entry of {} (a write cut by a crash)", file);
              rewrite = true;
              continue;
            }
            throw new JournalException(
                "the node journal " + file.toAbsolutePath() + " is damaged at line " + (i + 1));
          }
          if (keep.test(entry)) {
            entries.add(entry);
          } else {
            rewrite = true;
          }
        }
      }
      if (rewrite) {
        replace(file, entries);
      }
      FileChannel channel =
          Files.exists(file)
              ? FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
              : FileChannel.open(
                  file,
                  Set.of(
                      StandardOpenOption.CREATE_NEW,
                      StandardOpenOption.WRITE,
                      StandardOpenOption.APPEND),
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")));
      syncDirectory(dir);
      log.info("node journal {} open with {} entries", file.toAbsolutePath(), entries.size());
      return new NodeJournal(file, entries, channel);
    } catch (IOException e) {
      throw new JournalException(
          "cannot use the node journal " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  /** The entries found at open, in the order they were written. */
  public List<Entry> entries() {
    return loaded;
  }

  /**
   * Appends one entry and returns once it is on disk.
   *
   * @throws JournalException when it could not be made durable: the caller must then not act on it
   */
  public void append(Entry entry) {
    appendAll(List.of(entry));
  }

  /**
   * Appends the entries in order and returns once they are all on disk: one write and one fsync for
   * all of them.
   *
   * @throws JournalException when they could not be made durable: the caller must then not act on
   *     them
   */
  public synchronized void appendAll(List<Entry> entries) {
    StringBuilder lines = new StringBuilder();
    entries.forEach(entry -> lines.append(format(entry)).append('\n'));
    byte[] line = lines.toString().getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new JournalException("cannot write the node journal " + file + ": " + e, e);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("closing the node journal {} failed: {}", file, e.toString());
    }
  }

  private static String format(Entry entry) {
    StringBuilder body = new StringBuilder(requireField(entry.kind()));
    body.append(' ').append(entry.at().toEpochMilli());
    entry.fields().forEach(f -> body.append(' ').append(requireField(f)));
    return crc(body.toString()) + " " + body;
  }

  private static String requireField(String field) {
    if (!FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException("not a journal field: " + field);
    }
    return field;
  }

  /** The entry on {@code line}, or null when the line is damaged. */
  private static Entry parse(String line) {
    int space = line.indexOf(' ');
    if (space != 8) {
      return null;
    }
    String body = line.substring(9);
    if (!crc(body).equals(line.substring(0, 8))) {
      return null;
    }
    String[] parts = body.split(" ");
    if (parts.length < 2) {
      return null;
    }
    try {
      Instant at = Instant.ofEpochMilli(Long.parseLong(parts[1]));
      return new Entry(parts[0], at, List.of(parts).subList(2, parts.length));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String crc(String body) {
    CRC32C crc = new CRC32C();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  private static void replace(Path file, List<Entry> entries) throws IOException {
    Path temp = file.resolveSibling(FILE + ".rewrite");
    StringBuilder text = new StringBuilder();
    entries.forEach(e -> text.append(format(e)).append('\n'));
    try (FileChannel out =
        FileChannel.open(
            temp,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(file.getParent());
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
