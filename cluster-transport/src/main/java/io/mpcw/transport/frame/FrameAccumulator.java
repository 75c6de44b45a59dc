package io.mpcw.transport.frame;

import com.google.protobuf.InvalidProtocolBufferException;
import io.mpcw.transport.frame.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.ByteBuffer;

/**
 * Collects the bytes of the one frame a stream carries. An oversized frame is refused as soon as
 * its length prefix arrives, so its body is never buffered.
 */
public final class FrameAccumulator implements AutoCloseable {

  private final int maxFrameBytes;
  private final CompositeByteBuf received;

  public FrameAccumulator(int maxFrameBytes, ByteBufAllocator allocator) {
    this.maxFrameBytes = maxFrameBytes;
    this.received = allocator.compositeBuffer(Integer.MAX_VALUE);
  }

  /** Takes ownership of {@code chunk}. */
  public void append(ByteBuf chunk) throws FrameException {
    received.addComponent(true, chunk);
    if (received.readableBytes() >= Frames.LENGTH_PREFIX_BYTES) {
      long length = declaredLength();
      if (length > maxFrameBytes) {
        throw new FrameException(
            FrameRefusal.TOO_LARGE, "frame of " + length + " bytes exceeds " + maxFrameBytes);
      }
      if (received.readableBytes() > Frames.LENGTH_PREFIX_BYTES + length) {
        throw new FrameException(FrameRefusal.UNPARSABLE, "bytes after the end of the frame");
      }
    }
  }

  /** The envelope, once the peer has finished sending. */
  public Envelope finish() throws FrameException {
    if (received.readableBytes() < Frames.LENGTH_PREFIX_BYTES) {
      throw new FrameException(FrameRefusal.TRUNCATED, "stream ended inside the length prefix");
    }
    long length = declaredLength();
    if (received.readableBytes() < Frames.LENGTH_PREFIX_BYTES + length) {
      throw new FrameException(
          FrameRefusal.TRUNCATED,
          "stream ended after "
              + (received.readableBytes() - Frames.LENGTH_PREFIX_BYTES)
              + " of "
              + length
              + " bytes");
    }
    ByteBuffer body = received.nioBuffer(Frames.LENGTH_PREFIX_BYTES, (int) length);
    Envelope envelope;
    try {
      envelope = Envelope.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException(FrameRefusal.UNPARSABLE, "not an Envelope");
    }
    if (envelope.getVersion() != Frames.VERSION) {
      throw new FrameException(
          FrameRefusal.UNSUPPORTED_VERSION, "envelope version " + envelope.getVersion());
    }
    return envelope;
  }

  private long declaredLength() {
    return received.getUnsignedInt(received.readerIndex());
  }

  @Override
  public void close() {
    if (received.refCnt() > 0) {
      received.release();
    }
  }
}
