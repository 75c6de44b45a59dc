package io.mpcw.crypto.tx;

import java.io.ByteArrayOutputStream;

/** Little-endian writer for the Bitcoin wire format. */
final class ByteWriter {
  private final ByteArrayOutputStream out;

  ByteWriter(int expectedSize) {
    out = new ByteArrayOutputStream(expectedSize);
  }

  ByteWriter writeByte(int value) {
    out.write(value);
    return this;
  }

  ByteWriter writeBytes(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  ByteWriter writeUInt32(long value) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }

  ByteWriter writeInt64(long value) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)));
    }
    return this;
  }

  ByteWriter writeCompactSize(long value) {
    if (value < 0xfd) {
      out.write((int) value);
    } else if (value <= 0xffff) {
      out.write(0xfd);
      out.write((int) value);
      out.write((int) (value >>> 8));
    } else if (value <= 0xffffffffL) {
      out.write(0xfe);
      writeUInt32(value);
    } else {
      out.write(0xff);
      writeInt64(value);
    }
    return this;
  }

  ByteWriter writeVarBytes(byte[] bytes) {
    writeCompactSize(bytes.length);
    return writeBytes(bytes);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** Serialized size of a CompactSize holding {@code value}. */
  static int compactSizeLength(long value) {
    if (value < 0xfd) {
      return 1;
    } else if (value <= 0xffff) {
      return 3;
    } else if (value <= 0xffffffffL) {
      return 5;
    }
    return 9;
  }
}
