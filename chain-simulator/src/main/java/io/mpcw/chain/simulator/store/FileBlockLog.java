package io.mpcw.chain.simulator.store;

import io.mpcw.chain.simulator.ledger.Block;
import io.mpcw.chain.simulator.ledger.BlockLog;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain on disk: {@code blocks.dat}, one record per block (magic, payload length, payload,
 * CRC32C), appended and fsynced before the block becomes the tip. A record cut short by a crash is
 * detected by its length or checksum and dropped on opening: that block was never acknowledged.
 * {@code invalidateblock} truncates the file at the invalidated block's record.
 *
 * <p>A lock file keeps two simulators from writing the same directory.
 */
public final class FileBlockLog implements BlockLog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileBlockLog.class);
  private static final int MAGIC = 0x4d505742;
  private static final int HEADER_BYTES = 8;
  private static final int CRC_BYTES = 4;
  private static final int MAX_RECORD = 64 * 1024 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final FileChannel lockChannel;

  /** Start offsets of the records of blocks 1..n: index i holds block i + 1. */
  private final List<Long> offsets = new ArrayList<>();

  private final List<Block> stored;

  private FileBlockLog(Path dir) throws IOException {
    Files.createDirectories(dir);
    lockChannel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = tryLock(lockChannel);
    if (lock == null) {
      lockChannel.close();
      throw new IOException("data directory " + dir + " is used by another chain simulator");
    }
    file = dir.resolve("blocks.dat");
    boolean created = !Files.exists(file);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (created) {
      syncDirectory(dir);
    }
    stored = readAll();
  }

  /**
   * Opens (or creates) the block file in {@code dir} and reads the blocks it holds.
   *
   * @throws UncheckedIOException when the directory cannot be used
   */
  public static FileBlockLog open(Path dir) {
    try {
      return new FileBlockLog(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the chain data directory " + dir, e);
    }
  }

  /** The blocks found on opening, heights 1..n in order. */
  public List<Block> storedBlocks() {
    return stored;
  }

  @Override
  public synchronized void append(Block block) {
    byte[] payload = BlockCodec.encode(block);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload.length + CRC_BYTES);
    record.putInt(MAGIC).putInt(payload.length).put(payload).putInt((int) crc.getValue()).flip();
    try {
      long offset = channel.size();
      while (record.hasRemaining()) {
        channel.write(record, offset + record.position());
      }
      channel.force(false);
      offsets.add(offset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record block " + block.hash(), e);
    }
  }

  @Override
  public synchronized void truncate(long fromHeight) {
    if (fromHeight < 1 || fromHeight > offsets.size()) {
      return;
    }
    long offset = offsets.get((int) fromHeight - 1);
    try {
      channel.truncate(offset);
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file, e);
    }
    offsets.subList((int) fromHeight - 1, offsets.size()).clear();
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      log.warn("closing {} failed", file, e);
    }
  }

  /** The lock, or null when another simulator (another process, or this one) holds it. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private List<Block> readAll() throws IOException {
    List<Block> blocks = new ArrayList<>();
    long size = channel.size();
    long offset = 0;
    while (offset < size) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      if (!readFully(header, offset)) {
        break;
      }
      int magic = header.getInt(0);
      int length = header.getInt(4);
      if (magic != MAGIC || length <= 0 || length > MAX_RECORD) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length + CRC_BYTES);
      if (!readFully(body, offset + HEADER_BYTES)) {
        break;
      }
      CRC32C crc = new CRC32C();
      crc.update(body.array(), 0, length);
      if ((int) crc.getValue() != body.getInt(length)) {
        break;
      }
      Block block =
          BlockCodec.decode(new DataInputStream(new ByteArrayInputStream(body.array(), 0, length)));
      blocks.add(block);
      offsets.add(offset);
      offset += HEADER_BYTES + length + CRC_BYTES;
    }
    if (offset < size) {
      log.warn(
          "{}: dropping {} bytes of an incomplete last record (a crash during a write)",
          file,
          size - offset);
      channel.truncate(offset);
      channel.force(false);
    }
    log.info("{}: {} blocks", file, blocks.size());
    return List.copyOf(blocks);
  }

  private boolean readFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void syncDirectory(Path dir) {
    // The new file's directory entry must be durable too, or a crash could lose the whole file.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      log.debug("directory fsync not supported for {}", dir, e);
    }
  }
}
