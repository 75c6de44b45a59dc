package io.mpcw.transport.fuzz;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC connection that writes arbitrary bytes onto streams, bypassing the frame encoder: for
 * testing what a server does with input no well-behaved client sends (fuzzing, refusal tests). It
 * reads at most {@link #MAX_REPLY_BYTES} of a reply.
 */
public final class RawQuicConnection implements AutoCloseable {

  static final int MAX_REPLY_BYTES = 2 << 20;

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel udp;
  private final QuicChannel quic;

  /**
   * @param ssl the client's TLS context: a cluster identity ({@code QuicTls.clientContext}),
   *     another certificate, or none
   */
  public RawQuicConnection(QuicSslContext ssl, InetSocketAddress server, Duration connectTimeout)
      throws Exception {
    try {
      udp =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(
                  new QuicClientCodecBuilder()
                      .sslContext(ssl)
                      .maxIdleTimeout(10, TimeUnit.SECONDS)
                      .initialMaxData(16 << 20)
                      .initialMaxStreamDataBidirectionalLocal(4 << 20)
                      .initialMaxStreamDataBidirectionalRemote(4 << 20)
                      .build())
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      quic =
          QuicChannel.newBootstrap(udp)
              .handler(new ChannelInboundHandlerAdapter())
              .streamHandler(new ChannelInboundHandlerAdapter())
              .remoteAddress(server)
              .connect()
              .get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Writes {@code bytes} on a new stream, then FIN if {@code finish}; completes with every byte the
   * server sends back before its FIN or the stream's end (empty if it ends without a reply).
   */
  public CompletableFuture<byte[]> exchange(byte[] bytes, boolean finish) {
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    ByteArrayOutputStream collected = new ByteArrayOutputStream();
    quic.newStreamBootstrap()
        .type(QuicStreamType.BIDIRECTIONAL)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                int room = MAX_REPLY_BYTES - collected.size();
                byte[] chunk = new byte[Math.max(0, Math.min(room, buf.readableBytes()))];
                buf.readBytes(chunk);
                collected.writeBytes(chunk);
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownReadComplete) {
                  received.complete(collected.toByteArray());
                  ctx.close();
                }
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                received.complete(collected.toByteArray());
              }
            })
        .create()
        .addListener(
            created -> {
              if (!created.isSuccess()) {
                received.completeExceptionally(created.cause());
                return;
              }
              QuicStreamChannel stream = (QuicStreamChannel) created.getNow();
              // a failed write is expected when the server stops reading an oversized frame
              var written = stream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
              if (finish) {
                written.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
              }
            });
    return received;
  }

  /** True while the QUIC connection is open. */
  public boolean isOpen() {
    return quic.isActive();
  }

  @Override
  public void close() {
    quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
