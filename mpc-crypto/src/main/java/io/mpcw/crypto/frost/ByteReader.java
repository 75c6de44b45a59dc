package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.util.Arrays;

/**
 * Reads the fixed-layout binary encodings of this package; any truncation, trailing byte or invalid
 * field becomes a {@link CryptoFormatException}, never an index exception.
 */
public final class ByteReader {
  private final byte[] bytes;
  private final String what;
  private int at;

  public ByteReader(byte[] bytes, String what) {
    if (bytes == null) {
      throw new CryptoFormatException(what + ": no bytes");
    }
    this.bytes = bytes;
    this.what = what;
  }

  public byte[] take(int length) {
    if (length < 0 || bytes.length - at < length) {
      throw new CryptoFormatException(what + ": truncated");
    }
    byte[] out = Arrays.copyOfRange(bytes, at, at + length);
    at += length;
    return out;
  }

  public int u8() {
    return take(1)[0] & 0xff;
  }

  public int u16() {
    byte[] b = take(2);
    return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
  }

  public int u32() {
    byte[] b = take(4);
    long v =
        ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (v > Integer.MAX_VALUE) {
      throw new CryptoFormatException(what + ": length out of range");
    }
    return (int) v;
  }

  public Scalar scalar() {
    return Scalar.decode(take(Scalar.BYTES));
  }

  public Point point() {
    return Point.decodeCompressed(take(Point.COMPRESSED_BYTES));
  }

  public Identifier identifier() {
    return Identifier.decode(take(Identifier.BYTES));
  }

  public void expectVersion(int version) {
    if (u8() != version) {
      throw new CryptoFormatException(what + ": unknown encoding version");
    }
  }

  public void requireEnd() {
    if (at != bytes.length) {
      throw new CryptoFormatException(what + ": trailing bytes");
    }
  }

  public int remaining() {
    return bytes.length - at;
  }
}
