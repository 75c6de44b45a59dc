package io.mpcw.crypto.psbt;

import java.io.ByteArrayOutputStream;

/** The writing twin of {@link PsbtReader}: little-endian integers and canonical compact sizes. */
final class PsbtWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PsbtWriter writeByte(int value) {
    out.write(value);
    return this;
  }

  PsbtWriter writeBytes(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  PsbtWriter writeUInt32(long value) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
    return this;
  }

  PsbtWriter writeInt64(long value) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
    return this;
  }

  PsbtWriter writeCompactSize(long value) {
    if (value < 0xfd) {
      out.write((int) value);
    } else if (value <= 0xffff) {
      out.write(0xfd);
      out.write((int) value & 0xff);
      out.write((int) (value >>> 8) & 0xff);
    } else if (value <= 0xffffffffL) {
      out.write(0xfe);
      writeUInt32(value);
    } else {
      out.write(0xff);
      writeInt64(value);
    }
    return this;
  }

  PsbtWriter writeVarBytes(byte[] bytes) {
    writeCompactSize(bytes.length);
    return writeBytes(bytes);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
