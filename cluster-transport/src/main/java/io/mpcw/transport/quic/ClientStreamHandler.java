package io.mpcw.transport.quic;

import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportException.Kind;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.FrameException;
import io.mpcw.transport.frame.FrameRefusal;
import io.mpcw.transport.frame.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Reads the one reply frame of a request stream and completes the caller's future with it. */
final class ClientStreamHandler extends ChannelInboundHandlerAdapter {

  private final CompletableFuture<Envelope> reply;
  private final TransportMetrics metrics;
  private final int maxFrameBytes;
  private final Supplier<TransportException> whyClosed;
  private final Runnable heardFromPeer;
  private FrameAccumulator frame;

  /**
   * @param whyClosed explains a stream that ends without a reply (the connection's close reason)
   * @param heardFromPeer told of every chunk that arrives, before the reply completes: the peer
   *     behind the connection is alive
   */
  ClientStreamHandler(
      CompletableFuture<Envelope> reply,
      TransportMetrics metrics,
      int maxFrameBytes,
      Supplier<TransportException> whyClosed,
      Runnable heardFromPeer) {
    this.reply = reply;
    this.metrics = metrics;
    this.maxFrameBytes = maxFrameBytes;
    this.whyClosed = whyClosed;
    this.heardFromPeer = heardFromPeer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    frame = new FrameAccumulator(maxFrameBytes, ctx.alloc());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (reply.isDone() || !(msg instanceof ByteBuf chunk)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    heardFromPeer.run();
    try {
      frame.append(chunk);
    } catch (FrameException e) {
      refuse(ctx, e);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownReadComplete && !reply.isDone()) {
      try {
        reply.complete(frame.finish());
      } catch (FrameException e) {
        refuse(ctx, e);
      } finally {
        frame.close();
      }
      ctx.close();
    }
    ReferenceCountUtil.release(event);
  }

  private void refuse(ChannelHandlerContext ctx, FrameException e) {
    metrics.frameRefused(e.refusal().tag());
    reply.completeExceptionally(
        new TransportException(
            e.refusal() == FrameRefusal.TOO_LARGE ? Kind.FRAME_TOO_LARGE : Kind.REFUSED,
            "bad reply frame: " + e.getMessage()));
    frame.close();
    ((QuicStreamChannel) ctx.channel()).shutdown(ServerStreamHandler.STOP_READING);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    frame.close();
    if (!reply.isDone()) {
      reply.completeExceptionally(whyClosed.get());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!reply.isDone()) {
      TransportException closed = whyClosed.get();
      reply.completeExceptionally(
          new TransportException(closed.kind(), "stream failed: " + cause, cause));
    }
    ctx.close();
  }
}
