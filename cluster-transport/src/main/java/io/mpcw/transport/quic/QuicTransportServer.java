package io.mpcw.transport.quic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RateLimitedLog;
import io.mpcw.transport.RequestDispatcher;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.TransportServer;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.PeerIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicServerCodecBuilder;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QUIC + mutual TLS server. Each bidirectional stream carries one request frame and its reply;
 * clients are admitted by the cluster CA and the {@link IdentityPolicy} during the handshake.
 * Handlers run on the event loop: they must return their future at once and do slow work elsewhere.
 */
public final class QuicTransportServer implements TransportServer {

  private static final Logger log = LoggerFactory.getLogger(QuicTransportServer.class);

  private final IdentityCredentials identity;
  private final X509Certificate clusterCa;
  private final IdentityPolicy policy;
  private final InetSocketAddress bindAddress;
  private final TransportSettings settings;
  private final TransportMetrics metrics;
  private final Counter connectionsAccepted;
  private final java.util.Set<QuicChannel> open =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private Optional<EventLoopGroup> group = Optional.empty();
  private Optional<Channel> channel = Optional.empty();

  /**
   * @param bindAddress where to listen; port 0 picks a free port (see {@link #start})
   */
  public QuicTransportServer(
      IdentityCredentials identity,
      X509Certificate clusterCa,
      IdentityPolicy policy,
      InetSocketAddress bindAddress,
      TransportSettings settings,
      MeterRegistry registry,
      Clock clock) {
    this.identity = identity;
    this.clusterCa = clusterCa;
    this.policy = policy;
    this.bindAddress = bindAddress;
    this.settings = settings;
    this.metrics = new TransportMetrics(registry);
    this.connectionsAccepted =
        Counter.builder("transport_connections_total")
            .description("QUIC connections opened (client) or accepted (server)")
            .tag("role", TransportMetrics.SERVER)
            .register(registry);
    this.clock = clock;
  }

  public QuicTransportServer(
      IdentityCredentials identity,
      X509Certificate clusterCa,
      IdentityPolicy policy,
      InetSocketAddress bindAddress,
      MeterRegistry registry) {
    this(
        identity,
        clusterCa,
        policy,
        bindAddress,
        TransportSettings.defaults(),
        registry,
        Clock.systemUTC());
  }

  @Override
  public synchronized Endpoint start(RequestHandler handler) {
    if (channel.isPresent()) {
      throw new IllegalStateException("already started");
    }
    EventLoopGroup loop =
        new NioEventLoopGroup(1, new DefaultThreadFactory("mpcw-quic-server", true));
    group = Optional.of(loop);
    RequestDispatcher dispatcher = new RequestDispatcher(handler, settings, metrics, loop, clock);
    try {
      Channel bound =
          new Bootstrap()
              .group(loop)
              .channel(NioDatagramChannel.class)
              .handler(codec(dispatcher))
              .bind(bindAddress)
              .sync()
              .channel();
      channel = Optional.of(bound);
      return Endpoint.of((InetSocketAddress) bound.localAddress(), identity.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new TransportException(TransportException.Kind.CLOSED, "interrupted while binding");
    } catch (RuntimeException e) {
      close();
      throw new TransportException(
          TransportException.Kind.UNREACHABLE, "cannot bind " + bindAddress, e);
    }
  }

  private ChannelHandler codec(RequestDispatcher dispatcher) {
    HandshakeRefusals refusals = new HandshakeRefusals(metrics);
    RateLimitedLog frameRefusals =
        RateLimitedLog.perMinute(log, "transport_frame", metrics.registry());
    return new QuicServerCodecBuilder()
        .sslContext(QuicTls.serverContext(identity, clusterCa, policy, refusals, clock))
        .maxIdleTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .initialMaxData(QuicLimits.connectionWindow(settings))
        .initialMaxStreamDataBidirectionalLocal(QuicLimits.streamWindow(settings))
        .initialMaxStreamDataBidirectionalRemote(QuicLimits.streamWindow(settings))
        .initialMaxStreamsBidirectional(settings.maxServerStreams())
        .initialMaxStreamsUnidirectional(0)
        .tokenHandler(new AddressTokens(AddressTokens.DEFAULT_LIFETIME, clock, metrics))
        .handler(new ConnectionLifecycle(refusals))
        .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .streamHandler(
            new ChannelInitializer<QuicStreamChannel>() {
              @Override
              protected void initChannel(QuicStreamChannel stream) {
                stream
                    .pipeline()
                    .addLast(new ServerStreamHandler(dispatcher, metrics, settings, frameRefusals));
              }
            })
        .build();
  }

  /**
   * Shared by every connection: the codec reuses one instance, and a handler that is not
   * {@code @Sharable} makes the second connection time out silently. A connection becomes active
   * once its handshake succeeded; a failed handshake surfaces in {@link #exceptionCaught}.
   */
  @ChannelHandler.Sharable
  private final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {

    private final HandshakeRefusals refusals;
    private final PeerConnections perPeer = new PeerConnections(settings.maxConnectionsPerPeer());
    private final RateLimitedLog lines =
        RateLimitedLog.perMinute(log, "transport_connection", metrics.registry());

    ConnectionLifecycle(HandshakeRefusals refusals) {
      this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      QuicChannel connection = (QuicChannel) ctx.channel();
      Optional<PeerIdentity> peer = QuicPeers.of(connection);
      if (peer.isEmpty() || !perPeer.admit(connection, peer.get())) {
        metrics.connectionRefused(PeerConnections.TOO_MANY);
        lines.info(
            "closed a connection of {}: it holds {} connections already",
            peer.map(Object::toString).orElse("?"),
            settings.maxConnectionsPerPeer());
        connection.close(true, PeerConnections.CLOSE_CODE, Unpooled.EMPTY_BUFFER);
        return;
      }
      connectionsAccepted.increment();
      open.add(connection);
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      perPeer.release((QuicChannel) ctx.channel());
      open.remove((QuicChannel) ctx.channel());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // no close here: the codec closes with the TLS alert itself, which is what tells the client
      QuicChannel connection = (QuicChannel) ctx.channel();
      if (!connection.isActive()) {
        refusals.handshakeFailed(connection.sslEngine(), cause, connection.remoteSocketAddress());
      } else {
        log.debug("connection {} failed: {}", ctx.channel(), cause.toString());
      }
    }
  }

  /** Application close code of a connection the server closes because it shuts down. */
  static final int SHUTTING_DOWN = 0x12;

  /**
   * Closes every connection with a CONNECTION_CLOSE first, so that clients learn at once that this
   * process is gone and connect afresh to whatever listens on the address next, instead of sending
   * into a connection nobody knows until their idle timeout.
   */
  @Override
  public synchronized void close() {
    for (QuicChannel connection : open) {
      connection
          .close(true, SHUTTING_DOWN, Unpooled.EMPTY_BUFFER)
          .awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    abort();
  }

  /** Stops without telling the clients, as a killed process does. */
  synchronized void abort() {
    channel.ifPresent(c -> c.close().awaitUninterruptibly());
    channel = Optional.empty();
    group.ifPresent(g -> g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly());
    group = Optional.empty();
  }
}
