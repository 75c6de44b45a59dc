package io.mpcw.transport.quic;

import io.mpcw.transport.RequestDispatcher;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.FrameException;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.incubator.codec.quic.DefaultQuicStreamFrame;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on one bidirectional stream: collect the frame until the client's FIN, dispatch,
 * write the reply and FIN. A bad frame is answered with an error reply on this stream only; the
 * connection and its other streams are untouched.
 */
final class ServerStreamHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerStreamHandler.class);

  /** Application error code for STOP_SENDING when we stop reading an oversized frame. */
  static final int STOP_READING = 0x10;

  private final RequestDispatcher dispatcher;
  private final TransportMetrics metrics;
  private final int maxFrameBytes;
  private FrameAccumulator frame;
  private boolean answered;

  ServerStreamHandler(RequestDispatcher dispatcher, TransportMetrics metrics, int maxFrameBytes) {
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    frame = new FrameAccumulator(maxFrameBytes, ctx.alloc());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (answered || !(msg instanceof ByteBuf chunk)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      frame.append(chunk);
    } catch (FrameException e) {
      refuse(ctx, e);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownReadComplete && !answered) {
      Envelope request;
      try {
        request = frame.finish();
      } catch (FrameException e) {
        refuse(ctx, e);
        return;
      } finally {
        frame.close();
      }
      serve(ctx, request);
    }
    ReferenceCountUtil.release(event);
  }

  private void serve(ChannelHandlerContext ctx, Envelope request) {
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    Optional<PeerIdentity> peer = QuicPeers.of(stream.parent());
    if (peer.isEmpty()) {
      // unreachable after a REQUIRE-client-auth handshake; refuse rather than serve anonymously
      ctx.close();
      return;
    }
    answered = true;
    dispatcher.dispatch(peer.get(), request).thenAccept(reply -> reply(ctx, request, reply));
  }

  private void reply(ChannelHandlerContext ctx, Envelope request, Envelope reply) {
    Envelope bounded =
        reply.getSerializedSize() > maxFrameBytes
            ? Envelopes.error(request, ErrorCodes.FRAME_TOO_LARGE, "reply exceeds the frame limit")
            : reply;
    writeAndFinish(ctx, bounded);
  }

  private void refuse(ChannelHandlerContext ctx, FrameException e) {
    answered = true;
    frame.close();
    metrics.frameRefused(e.refusal().tag());
    log.debug("refused frame on stream {}: {}", ctx.channel(), e.getMessage());
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    if (!stream.isInputShutdown()) {
      // the rest of an oversized frame is not wanted: tell the peer to stop sending it
      stream.shutdownInput(STOP_READING);
    }
    writeAndFinish(ctx, Envelopes.error(0, "", e.refusal().errorCode(), e.getMessage()));
  }

  private static void writeAndFinish(ChannelHandlerContext ctx, Envelope envelope) {
    // reply and FIN in one write, so the FIN leaves in the reply's packet
    ctx.writeAndFlush(new DefaultQuicStreamFrame(Frames.encode(envelope, ctx.alloc()), true))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    frame.close();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("stream {} failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
