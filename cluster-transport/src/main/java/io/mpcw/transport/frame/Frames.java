package io.mpcw.transport.frame;

import io.mpcw.transport.frame.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Wire format: a 4-byte big-endian length, then that many bytes of a Protobuf {@link Envelope}. One
 * frame per direction per stream.
 */
public final class Frames {

  /** The only envelope version this code speaks; a peer sending another is refused. */
  public static final int VERSION = 1;

  public static final int LENGTH_PREFIX_BYTES = 4;

  /** Large enough for any protocol message (nonce commitments, signature shares), no more. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  private Frames() {}

  /** Length-prefixed bytes of {@code envelope} in a new buffer owned by the caller. */
  public static ByteBuf encode(Envelope envelope, ByteBufAllocator allocator) {
    int size = envelope.getSerializedSize();
    ByteBuf buf = allocator.buffer(LENGTH_PREFIX_BYTES + size);
    buf.writeInt(size);
    try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
      envelope.writeTo(out);
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(e);
    }
    return buf;
  }

  /** Length-prefixed bytes of {@code envelope}. */
  public static byte[] encode(Envelope envelope) {
    int size = envelope.getSerializedSize();
    byte[] bytes = new byte[LENGTH_PREFIX_BYTES + size];
    bytes[0] = (byte) (size >>> 24);
    bytes[1] = (byte) (size >>> 16);
    bytes[2] = (byte) (size >>> 8);
    bytes[3] = (byte) size;
    System.arraycopy(envelope.toByteArray(), 0, bytes, LENGTH_PREFIX_BYTES, size);
    return bytes;
  }
}
