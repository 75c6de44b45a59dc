package io.mpcw.transport.quic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.ClientCalls;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportException.Kind;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.IdentityCredentials;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.incubator.codec.quic.DefaultQuicStreamFrame;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * QUIC + mutual TLS client: one connection per endpoint, one bidirectional stream per request, at
 * most {@link TransportSettings#maxInFlightPerEndpoint()} requests open per endpoint. The server
 * must prove the endpoint's identity in its certificate CN.
 */
public final class QuicTransportClient implements TransportClient {

  /** Application error code for resetting a stream whose deadline passed. */
  private static final int CANCELLED = 0x11;

  private final TransportSettings settings;
  private final TransportMetrics metrics;
  private final Counter connectionsOpened;
  private final Clock clock;
  private final QuicSslContext sslContext;
  private final EventLoopGroup group;
  private final Map<Endpoint, EndpointConnection> connections = new ConcurrentHashMap<>();
  private final Map<Endpoint, Semaphore> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private volatile boolean closed;

  public QuicTransportClient(
      IdentityCredentials identity,
      X509Certificate clusterCa,
      TransportSettings settings,
      MeterRegistry registry,
      Clock clock) {
    this.settings = settings;
    this.metrics = new TransportMetrics(registry);
    this.connectionsOpened =
        Counter.builder("transport_connections_total")
            .description("QUIC connections opened (client) or accepted (server)")
            .tag("role", TransportMetrics.CLIENT)
            .register(registry);
    this.clock = clock;
    this.sslContext = QuicTls.clientContext(identity, clusterCa, metrics, clock);
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("mpcw-quic-client", true));
  }

  public QuicTransportClient(
      IdentityCredentials identity, X509Certificate clusterCa, MeterRegistry registry) {
    this(identity, clusterCa, TransportSettings.defaults(), registry, Clock.systemUTC());
  }

  @Override
  public CompletableFuture<Envelope> request(
      Endpoint endpoint, String type, byte[] payload, Duration deadline) {
    return ClientCalls.settle(send(endpoint, type, payload, deadline), type, metrics);
  }

  private CompletableFuture<Envelope> send(
      Endpoint endpoint, String type, byte[] payload, Duration deadline) {
    if (closed) {
      return failed(Kind.CLOSED, "client closed");
    }
    Duration bounded =
        deadline.compareTo(settings.maxDeadline()) > 0 ? settings.maxDeadline() : deadline;
    Envelope request =
        Envelopes.request(type, nextRequestId.getAndIncrement(), clock.instant(), bounded, payload);
    if (request.getSerializedSize() > settings.maxFrameBytes()) {
      return failed(Kind.FRAME_TOO_LARGE, "request exceeds " + settings.maxFrameBytes() + " bytes");
    }
    Semaphore permits =
        inFlight.computeIfAbsent(endpoint, e -> new Semaphore(settings.maxInFlightPerEndpoint()));
    if (!permits.tryAcquire()) {
      return failed(
          Kind.OVERLOADED,
          settings.maxInFlightPerEndpoint() + " requests already open to " + endpoint);
    }
    EndpointConnection connection = connections.computeIfAbsent(endpoint, this::newConnection);
    CompletableFuture<Envelope> reply = new CompletableFuture<>();
    reply.whenComplete((r, e) -> permits.release());
    long sentAt = System.nanoTime();
    ScheduledFuture<?> expiry;
    try {
      expiry =
          group.schedule(
              () -> {
                if (reply.isDone()) {
                  return;
                }
                // detach a dead connection before the caller learns of the timeout, so that a
                // request it sends next cannot pick the stale connection up
                Optional<QuicChannel> stale = connection.detachIfUnansweredSince(sentAt);
                reply.completeExceptionally(
                    new TransportException(
                        Kind.TIMEOUT, "no reply from " + endpoint + " within " + bounded));
                stale.ifPresent(QuicChannel::close);
              },
              bounded.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // close() ran concurrently and the event loop is gone
      reply.completeExceptionally(new TransportException(Kind.CLOSED, "client closed"));
      return reply;
    }
    reply.whenComplete((r, e) -> expiry.cancel(false));
    connection
        .connection()
        .whenComplete(
            (quic, failure) -> {
              if (failure != null) {
                reply.completeExceptionally(failure);
              } else if (!reply.isDone()) {
                EndpointConnection.failOnClose(quic, reply);
                openStream(quic, connection, request, reply);
              }
            });
    return reply;
  }

  private void openStream(
      QuicChannel quic,
      EndpointConnection connection,
      Envelope request,
      CompletableFuture<Envelope> reply) {
    quic.newStreamBootstrap()
        .type(QuicStreamType.BIDIRECTIONAL)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(
            new ClientStreamHandler(
                reply,
                metrics,
                settings.maxFrameBytes(),
                connection::closedReason,
                connection::replied))
        .create()
        .addListener(
            created -> {
              if (!created.isSuccess()) {
                reply.completeExceptionally(
                    new TransportException(
                        connection.closedReason().kind(),
                        "cannot open a stream: " + created.cause(),
                        created.cause()));
                return;
              }
              QuicStreamChannel stream = (QuicStreamChannel) created.getNow();
              // a reply that times out must not leave its stream open on either side
              reply.whenComplete(
                  (r, e) -> {
                    if (e != null && stream.isActive()) {
                      stream.shutdown(CANCELLED);
                      stream.close();
                    }
                  });
              // frame and FIN in one write: the FIN rides in the same packet as the data
              stream.writeAndFlush(
                  new DefaultQuicStreamFrame(Frames.encode(request, stream.alloc()), true));
            });
  }

  private EndpointConnection newConnection(Endpoint endpoint) {
    return new EndpointConnection(
        endpoint,
        group,
        this::codec,
        settings.connectTimeout(),
        metrics,
        connectionsOpened::increment);
  }

  private ChannelHandler codec() {
    return new QuicClientCodecBuilder()
        .sslContext(sslContext)
        .maxIdleTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .initialMaxData(QuicLimits.connectionWindow(settings))
        .initialMaxStreamDataBidirectionalLocal(QuicLimits.streamWindow(settings))
        .initialMaxStreamDataBidirectionalRemote(QuicLimits.streamWindow(settings))
        .initialMaxStreamsBidirectional(0)
        .initialMaxStreamsUnidirectional(0)
        .build();
  }

  private static CompletableFuture<Envelope> failed(Kind kind, String message) {
    return CompletableFuture.failedFuture(new TransportException(kind, message));
  }

  @Override
  public void close() {
    closed = true;
    connections.values().forEach(EndpointConnection::close);
    connections.clear();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
