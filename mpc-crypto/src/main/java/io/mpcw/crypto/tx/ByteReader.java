package io.mpcw.crypto.tx;

import java.util.Arrays;

/**
 * Bounds-checked little-endian reader over a transaction. Every length is checked against the bytes
 * that remain before anything is allocated, so hostile input cannot exhaust memory.
 */
final class ByteReader {
  /** Bitcoin Core's MAX_SIZE: no length prefix in a transaction may exceed it. */
  private static final long MAX_COMPACT_SIZE = 0x02000000L;

  private final byte[] bytes;
  private int position;

  ByteReader(byte[] bytes) {
    this.bytes = bytes;
  }

  int position() {
    return position;
  }

  int remaining() {
    return bytes.length - position;
  }

  int peek(int offset) {
    require(offset + 1, "a byte");
    return bytes[position + offset] & 0xff;
  }

  int readByte() {
    require(1, "a byte");
    return bytes[position++] & 0xff;
  }

  byte[] readBytes(int length, String what) {
    require(length, what);
    byte[] out = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return out;
  }

  long readUInt32(String what) {
    require(4, what);
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = (value << 8) | (bytes[position + i] & 0xff);
    }
    position += 4;
    return value;
  }

  long readInt64(String what) {
    require(8, what);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (bytes[position + i] & 0xff);
    }
    position += 8;
    return value;
  }

  /** Reads a CompactSize, refusing non-minimal encodings as Bitcoin Core does. */
  long readCompactSize(String what) {
    int first = readByte();
    long value;
    long minimum;
    if (first < 0xfd) {
      return first;
    } else if (first == 0xfd) {
      require(2, what);
      value = (bytes[position] & 0xff) | ((bytes[position + 1] & 0xff) << 8);
      position += 2;
      minimum = 0xfd;
    } else if (first == 0xfe) {
      value = readUInt32(what);
      minimum = 0x10000;
    } else {
      value = readInt64(what);
      minimum = 0x100000000L;
    }
    if (Long.compareUnsigned(value, minimum) < 0) {
      throw new TransactionFormatException(
          "non-canonical length prefix for " + what + " at byte " + position);
    }
    if (Long.compareUnsigned(value, MAX_COMPACT_SIZE) > 0) {
      throw new TransactionFormatException(
          what + " of " + Long.toUnsignedString(value) + " is larger than any transaction");
    }
    return value;
  }

  /**
   * Reads a count of items each at least {@code minItemSize} bytes long and refuses it when the
   * remaining bytes cannot hold that many.
   */
  int readCount(String what, int minItemSize) {
    long count = readCompactSize(what);
    if (count > remaining() / minItemSize) {
      throw new TransactionFormatException(
          what
              + " of "
              + count
              + " cannot fit in the "
              + remaining()
              + " bytes left at byte "
              + position);
    }
    return (int) count;
  }

  /** Reads a CompactSize length followed by that many bytes. */
  byte[] readVarBytes(String what) {
    long length = readCompactSize("length of " + what);
    if (length > remaining()) {
      throw truncated(what);
    }
    return readBytes((int) length, what);
  }

  private void require(int length, String what) {
    if (length > remaining()) {
      throw truncated(what);
    }
  }

  private TransactionFormatException truncated(String what) {
    return new TransactionFormatException(
        "transaction is truncated: " + what + " runs past the end at byte " + position);
  }
}
