package io.mpcw.transport.quic;

import io.mpcw.transport.RateLimitedLog;
import io.mpcw.transport.RequestDispatcher;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.FrameException;
import io.mpcw.transport.frame.FrameRefusal;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on one bidirectional stream: collect the frame until the client's FIN, dispatch,
 * write the reply and FIN. A bad frame is answered with an error reply on this stream only; the
 * connection and its other streams are untouched. A stream holds the server's memory only within
 * bounds: its frame limit, its connection's byte budget, and the arrival timeout after which an
 * unfinished request is refused.
 */
final class ServerStreamHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerStreamHandler.class);

  /** Application error code for STOP_SENDING when we stop reading an oversized frame. */
  static final int STOP_READING = 0x10;

  private final RequestDispatcher dispatcher;
  private final TransportMetrics metrics;
  private final TransportSettings settings;
  private final RateLimitedLog refusals;
  private FrameAccumulator frame;
  private ConnectionBudget budget;
  private long held;
  private Optional<ScheduledFuture<?>> arrival = Optional.empty();
  private boolean answered;

  ServerStreamHandler(
      RequestDispatcher dispatcher,
      TransportMetrics metrics,
      TransportSettings settings,
      RateLimitedLog refusals) {
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.settings = settings;
    this.refusals = refusals;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    frame = new FrameAccumulator(settings.maxFrameBytes(), ctx.alloc());
    budget =
        ConnectionBudget.of(
            ((QuicStreamChannel) ctx.channel()).parent(), settings.maxBufferedBytesPerConnection());
    arrival =
        Optional.of(
            ctx.executor()
                .schedule(
                    () -> refuseIfUnanswered(ctx),
                    settings.requestArrivalTimeout().toMillis(),
                    TimeUnit.MILLISECONDS));
  }

  private void refuseIfUnanswered(ChannelHandlerContext ctx) {
    if (!answered) {
      refuse(
          ctx,
          new FrameException(
              FrameRefusal.TIMED_OUT,
              "request not complete within "
                  + settings.requestArrivalTimeout().toMillis()
                  + " ms"));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (answered || !(msg instanceof ByteBuf chunk)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int size = chunk.readableBytes();
    if (!budget.take(size)) {
      chunk.release();
      refuse(
          ctx,
          new FrameException(
              FrameRefusal.OVER_BUDGET, "the connection holds too many unfinished request bytes"));
      return;
    }
    held += size;
    try {
      frame.append(chunk);
    } catch (FrameException e) {
      refuse(ctx, e);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownReadComplete && !answered) {
      cancelArrivalTimeout();
      Envelope request;
      try {
        request = frame.finish();
      } catch (FrameException e) {
        refuse(ctx, e);
        return;
      } finally {
        release();
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
        reply.getSerializedSize() > settings.maxFrameBytes()
            ? Envelopes.error(request, ErrorCodes.FRAME_TOO_LARGE, "reply exceeds the frame limit")
            : reply;
    writeAndFinish(ctx, bounded);
  }

  private void refuse(ChannelHandlerContext ctx, FrameException e) {
    answered = true;
    cancelArrivalTimeout();
    release();
    metrics.frameRefused(e.refusal().tag());
    refusals.info(
        "refused a frame from {} ({}): {}",
        QuicPeers.of(((QuicStreamChannel) ctx.channel()).parent())
            .map(Object::toString)
            .orElse("?"),
        e.refusal().tag(),
        e.getMessage());
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

  /** Frees the frame's bytes and gives them back to the connection's budget; idempotent. */
  private void release() {
    frame.close();
    budget.give(held);
    held = 0;
  }

  private void cancelArrivalTimeout() {
    arrival.ifPresent(timeout -> timeout.cancel(false));
    arrival = Optional.empty();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelArrivalTimeout();
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("stream {} failed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }
}
