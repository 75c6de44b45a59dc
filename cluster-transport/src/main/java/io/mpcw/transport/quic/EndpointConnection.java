package io.mpcw.transport.quic;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportException.Kind;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.pki.PeerIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The one QUIC connection a client keeps to an endpoint, opened on first use and reopened after it
 * closes. Each connection has its own UDP socket, so closing it frees the port.
 */
final class EndpointConnection {

  private static final AttributeKey<Set<CompletableFuture<?>>> PENDING =
      AttributeKey.valueOf("mpcw.pending");

  private final Endpoint endpoint;
  private final EventLoopGroup group;
  private final Supplier<ChannelHandler> codec;
  private final Duration connectTimeout;
  private final TransportMetrics metrics;
  private final Runnable onConnected;
  private CompletableFuture<QuicChannel> current;
  private volatile QuicConnectionCloseEvent lastCloseEvent;
  private volatile boolean closedLocally;
  private volatile long lastReplyNanos = System.nanoTime();

  EndpointConnection(
      Endpoint endpoint,
      EventLoopGroup group,
      Supplier<ChannelHandler> codec,
      Duration connectTimeout,
      TransportMetrics metrics,
      Runnable onConnected) {
    this.endpoint = endpoint;
    this.group = group;
    this.codec = codec;
    this.connectTimeout = connectTimeout;
    this.metrics = metrics;
    this.onConnected = onConnected;
  }

  /** The open connection, connecting first if there is none or the last one closed or failed. */
  synchronized CompletableFuture<QuicChannel> connection() {
    if (current == null
        || current.isCompletedExceptionally()
        || (current.isDone() && !current.join().isActive())) {
      current = connect();
    }
    return current;
  }

  /** Bytes of a reply came back on this connection: the peer behind it is alive. */
  void replied() {
    lastReplyNanos = System.nanoTime();
  }

  /**
   * A request sent at {@code sentAtNanos} got no reply within its deadline. If nothing at all came
   * back on the connection since then, the peer most likely restarted on the same address: its new
   * process does not know the connection and drops its packets, which QUIC would only notice at the
   * idle timeout. The connection is detached at once, so that the next request connects again; the
   * caller closes what this returns once it has failed its own request (closing first would fail
   * that request as UNREACHABLE instead of TIMEOUT).
   *
   * @return the connection to close, or nothing when it is to be kept
   */
  synchronized Optional<QuicChannel> detachIfUnansweredSince(long sentAtNanos) {
    if (closedLocally || current == null || lastReplyNanos - sentAtNanos > 0) {
      return Optional.empty();
    }
    CompletableFuture<QuicChannel> stale = current;
    current = null;
    return stale.isDone() && !stale.isCompletedExceptionally()
        ? Optional.of(stale.join())
        : Optional.empty();
  }

  /** Why a stream on this connection ended without a reply. */
  TransportException closedReason() {
    if (closedLocally) {
      return new TransportException(Kind.CLOSED, "client closed");
    }
    QuicConnectionCloseEvent event = lastCloseEvent;
    // a peer that shut down is gone, not refusing: whatever listens there next may answer
    if (event != null
        && (event.isTlsError()
            || (event.isApplicationClose()
                && event.error() != QuicTransportServer.SHUTTING_DOWN))) {
      return new TransportException(
          Kind.REFUSED, endpoint + " closed the connection: " + describe(event));
    }
    return new TransportException(Kind.UNREACHABLE, "connection to " + endpoint + " closed");
  }

  private CompletableFuture<QuicChannel> connect() {
    CompletableFuture<QuicChannel> result = new CompletableFuture<>();
    lastCloseEvent = null;
    InetSocketAddress remote = endpoint.socketAddress();
    // stay on loopback when the peer is there; a wildcard bind would listen on every interface
    InetSocketAddress local =
        remote.getAddress() != null && remote.getAddress().isLoopbackAddress()
            ? new InetSocketAddress(remote.getAddress(), 0)
            : new InetSocketAddress(0);
    new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(codec.get())
        .bind(local)
        .addListener(
            bound -> {
              if (!bound.isSuccess()) {
                result.completeExceptionally(
                    new TransportException(
                        Kind.UNREACHABLE, "cannot open UDP socket", bound.cause()));
                return;
              }
              Channel udp = ((ChannelFuture) bound).channel();
              handshake(udp, remote, result);
            });
    return result;
  }

  private void handshake(
      Channel udp, InetSocketAddress remote, CompletableFuture<QuicChannel> result) {
    Future<QuicChannel> connecting =
        QuicChannel.newBootstrap(udp)
            .handler(new CloseEventRecorder())
            .streamHandler(new RefuseInboundStreams())
            .remoteAddress(remote)
            .connect();
    ScheduledFuture<?> timeout =
        udp.eventLoop()
            .schedule(
                () -> {
                  // complete first: closing the socket fails the connect promise synchronously
                  result.completeExceptionally(
                      new TransportException(
                          Kind.UNREACHABLE,
                          "no QUIC handshake with " + endpoint + " within " + connectTimeout));
                  udp.close();
                },
                connectTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    connecting.addListener(
        done -> {
          timeout.cancel(false);
          if (!done.isSuccess()) {
            // a failed TLS handshake (untrusted or expired server) will fail again: not retryable
            Kind kind = done.cause() instanceof SSLException ? Kind.REFUSED : Kind.UNREACHABLE;
            result.completeExceptionally(
                new TransportException(
                    kind, "cannot connect to " + endpoint + ": " + done.cause(), done.cause()));
            udp.close();
            return;
          }
          QuicChannel quic = connecting.getNow();
          quic.closeFuture().addListener(closed -> udp.close());
          if (result.isDone()) {
            quic.close();
          } else {
            verifyServerIdentity(quic, result);
          }
        });
  }

  private void verifyServerIdentity(QuicChannel quic, CompletableFuture<QuicChannel> result) {
    String actual = QuicPeers.of(quic).map(PeerIdentity::name).orElse("(no certificate)");
    if (!actual.equals(endpoint.identity())) {
      metrics.handshakeRefused("identity_mismatch");
      quic.close();
      result.completeExceptionally(
          new TransportException(
              Kind.PEER_IDENTITY_MISMATCH,
              "expected "
                  + endpoint.identity()
                  + " at "
                  + endpoint.host()
                  + ":"
                  + endpoint.port()
                  + ", server is "
                  + actual));
      return;
    }
    Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    quic.attr(PENDING).set(pending);
    // a stream does not always learn that its connection closed (e.g. a TLS 1.3 refusal that
    // arrives after the client already sent its request), so the connection fails what is left
    quic.closeFuture()
        .addListener(
            closed -> pending.forEach(reply -> reply.completeExceptionally(closedReason())));
    onConnected.run();
    result.complete(quic);
  }

  /** Fails {@code reply} with the close reason if {@code quic} closes before it completes. */
  static void failOnClose(QuicChannel quic, CompletableFuture<?> reply) {
    Set<CompletableFuture<?>> pending = quic.attr(PENDING).get();
    pending.add(reply);
    reply.whenComplete((r, e) -> pending.remove(reply));
    if (!quic.isActive()) {
      pending.remove(reply);
      reply.completeExceptionally(new TransportException(Kind.UNREACHABLE, "connection closed"));
    }
  }

  synchronized void close() {
    closedLocally = true;
    if (current == null) {
      return;
    }
    // a handshake still running would otherwise hold its requests until the event loop is gone
    current.completeExceptionally(closedReason());
    if (!current.isCompletedExceptionally()) {
      current.join().close().awaitUninterruptibly();
    }
    current = null;
  }

  private static String describe(QuicConnectionCloseEvent event) {
    return event.isTlsError()
        ? "TLS alert " + QuicConnectionCloseEvent.extractTlsError(event.error())
        : "application error " + event.error();
  }

  /** Keeps the peer's close reason so requests in flight can report REFUSED vs UNREACHABLE. */
  private final class CloseEventRecorder extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof QuicConnectionCloseEvent close) {
        lastCloseEvent = close;
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // the codec closes the connection itself; its requests then fail with closedReason()
    }
  }

  /** Servers never open streams towards clients in this protocol. */
  @ChannelHandler.Sharable
  private static final class RefuseInboundStreams extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
