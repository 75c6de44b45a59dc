package io.mpcw.transport.quic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.pki.IdentityCredentials;
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
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A test client that writes arbitrary bytes onto a stream, bypassing the frame encoder. */
final class RawQuicStream implements AutoCloseable {

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel udp;
  private final QuicChannel quic;

  RawQuicStream(IdentityCredentials self, X509Certificate ca, Endpoint server) throws Exception {
    this(
        QuicTls.clientContext(
            self, ca, new TransportMetrics(new SimpleMeterRegistry()), Clock.systemUTC()),
        server);
  }

  /** A client with a TLS context of the test's making: another certificate, or none at all. */
  RawQuicStream(QuicSslContext ssl, Endpoint server) throws Exception {
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
            .remoteAddress(server.socketAddress())
            .connect()
            .get(5, TimeUnit.SECONDS);
  }

  /**
   * Writes {@code bytes}, sends FIN, and returns every byte the server sends back before its FIN.
   */
  CompletableFuture<byte[]> exchange(byte[] bytes) throws Exception {
    return exchange(bytes, true);
  }

  /**
   * Writes {@code bytes}, with FIN only if {@code finish}, and returns every byte the server sends
   * back before its FIN (or before the stream ends).
   */
  CompletableFuture<byte[]> exchange(byte[] bytes, boolean finish) throws Exception {
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    ByteArrayOutputStream collected = new ByteArrayOutputStream();
    QuicStreamChannel stream =
        quic.newStreamBootstrap()
            .type(QuicStreamType.BIDIRECTIONAL)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    byte[] chunk = new byte[buf.readableBytes()];
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
            .get(5, TimeUnit.SECONDS);
    // a failed write is expected when the server stops reading an oversized frame
    var written = stream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    if (finish) {
      written.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    }
    return received;
  }

  /** True while the QUIC connection is open. */
  boolean isOpen() {
    return quic.isActive();
  }

  @Override
  public void close() {
    quic.close().awaitUninterruptibly();
    udp.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
