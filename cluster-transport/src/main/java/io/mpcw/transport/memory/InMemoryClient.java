package io.mpcw.transport.memory;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.ClientCalls;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportException.Kind;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.FrameException;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The in-memory twin of the QUIC client. */
public final class InMemoryClient implements TransportClient {

  private final InMemoryNetwork network;
  private final PeerIdentity self;
  private final TransportMetrics metrics;
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private volatile boolean closed;

  InMemoryClient(InMemoryNetwork network, PeerIdentity self, MeterRegistry registry) {
    this.network = network;
    this.self = self;
    this.metrics = new TransportMetrics(registry);
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
    Envelope request =
        Envelopes.request(
            type, nextRequestId.getAndIncrement(), network.clock().instant(), deadline, payload);
    if (request.getSerializedSize() > network.settings().maxFrameBytes()) {
      return failed(Kind.FRAME_TOO_LARGE, "request exceeds " + network.settings().maxFrameBytes());
    }
    InMemoryServer server = network.serverAt(endpoint.host(), endpoint.port()).orElse(null);
    if (server == null) {
      return failed(Kind.UNREACHABLE, "nothing listens at " + endpoint);
    }
    if (!server.identity().equals(endpoint.identity())) {
      return failed(
          Kind.PEER_IDENTITY_MISMATCH,
          "expected " + endpoint.identity() + ", server is " + server.identity());
    }
    if (!server.admits(self)) {
      return failed(Kind.REFUSED, endpoint + " refused " + self);
    }
    byte[] frame = Frames.encode(request);
    CompletableFuture<Envelope> reply = new CompletableFuture<>();
    ScheduledFuture<?> expiry =
        network
            .timer()
            .schedule(
                () ->
                    reply.completeExceptionally(
                        new TransportException(Kind.TIMEOUT, "no reply within " + deadline)),
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    network
        .handlers()
        .execute(
            () ->
                server
                    .serve(self, frame)
                    .whenComplete(
                        (replyFrame, failure) -> {
                          expiry.cancel(false);
                          if (failure != null) {
                            reply.completeExceptionally(failure);
                          } else {
                            decode(replyFrame, reply);
                          }
                        }));
    return reply;
  }

  private void decode(byte[] replyFrame, CompletableFuture<Envelope> reply) {
    try (FrameAccumulator frame =
        new FrameAccumulator(
            network.settings().maxFrameBytes(), UnpooledByteBufAllocator.DEFAULT)) {
      frame.append(Unpooled.wrappedBuffer(replyFrame));
      reply.complete(frame.finish());
    } catch (FrameException e) {
      metrics.frameRefused(e.refusal().tag());
      reply.completeExceptionally(
          new TransportException(Kind.REFUSED, "bad reply: " + e.getMessage()));
    }
  }

  private static CompletableFuture<Envelope> failed(Kind kind, String message) {
    return CompletableFuture.failedFuture(new TransportException(kind, message));
  }

  @Override
  public void close() {
    closed = true;
  }
}
