package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.io.ByteArrayOutputStream;

/** The writing twin of {@link ByteReader}: big-endian integers, scalars, compressed points. */
public final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ByteWriter bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  public ByteWriter u8(int v) {
    out.write(v);
    return this;
  }

  public ByteWriter u16(int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("does not fit in 16 bits: " + v);
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public ByteWriter u32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public ByteWriter scalar(Scalar s) {
    return bytes(s.encode());
  }

  public ByteWriter point(Point p) {
    return bytes(p.encodeCompressed());
  }

  public ByteWriter identifier(Identifier id) {
    return bytes(id.encode());
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
