package io.mpcw.crypto.psbt;

import java.util.Arrays;

/**
 * Little-endian reads over a byte array for PSBT maps and the legacy-serialized unsigned
 * transaction. Every read is bounds-checked and compact sizes must be canonical, so a length prefix
 * can never point past the data or be written two ways.
 */
final class PsbtReader {
  private final byte[] bytes;
  private int position;

  PsbtReader(byte[] bytes) {
    this.bytes = bytes;
  }

  int remaining() {
    return bytes.length - position;
  }

  int position() {
    return position;
  }

  int readByte(String what) {
    require(1, what);
    return bytes[position++] & 0xff;
  }

  byte[] readBytes(long length, String what) {
    require(length, what);
    byte[] out = Arrays.copyOfRange(bytes, position, position + (int) length);
    position += (int) length;
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

  long readCompactSize(String what) {
    int first = readByte(what);
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
      throw new PsbtFormatException("non-canonical compact size for " + what);
    }
    if (Long.compareUnsigned(value, remaining()) > 0 && value > Integer.MAX_VALUE) {
      throw new PsbtFormatException(what + " of " + Long.toUnsignedString(value) + " is too large");
    }
    return value;
  }

  byte[] readVarBytes(String what) {
    return readBytes(readCompactSize("length of " + what), what);
  }

  private void require(long length, String what) {
    if (length < 0 || length > remaining()) {
      throw new PsbtFormatException(
          "truncated: " + what + " needs " + length + " byte(s) at byte " + position);
    }
  }
}
