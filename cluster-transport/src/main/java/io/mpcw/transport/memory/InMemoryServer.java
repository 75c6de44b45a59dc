package io.mpcw.transport.memory;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestDispatcher;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.TransportServer;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.FrameAccumulator;
import io.mpcw.transport.frame.FrameException;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The in-memory twin of the QUIC server: same dispatching, limits, refusals and metrics. */
public final class InMemoryServer implements TransportServer {

  private final InMemoryNetwork network;
  private final String identity;
  private final IdentityPolicy policy;
  private final TransportMetrics metrics;
  private volatile Optional<RequestDispatcher> dispatcher = Optional.empty();
  private volatile int port = -1;

  InMemoryServer(
      InMemoryNetwork network, String identity, IdentityPolicy policy, MeterRegistry registry) {
    this.network = network;
    this.identity = identity;
    this.policy = policy;
    this.metrics = new TransportMetrics(registry);
  }

  @Override
  public synchronized Endpoint start(RequestHandler handler) {
    if (port >= 0) {
      throw new IllegalStateException("already started");
    }
    dispatcher =
        Optional.of(
            new RequestDispatcher(
                handler, network.settings(), metrics, network.timer(), network.clock()));
    port = network.bind(this);
    return new Endpoint(InMemoryNetwork.HOST, port, identity);
  }

  String identity() {
    return identity;
  }

  /** Admission as the QUIC server does it at handshake time. */
  boolean admits(PeerIdentity client) {
    boolean permitted = policy.permits(client);
    if (!permitted) {
      metrics.handshakeRefused(PeerIdentity.RefusalReason.IDENTITY_REJECTED.tag());
    }
    return permitted;
  }

  /** Serves one encoded request frame and returns the encoded reply frame. */
  CompletableFuture<byte[]> serve(PeerIdentity client, byte[] requestFrame) {
    RequestDispatcher active =
        dispatcher.orElseThrow(
            () -> new TransportException(TransportException.Kind.CLOSED, "server not started"));
    Envelope request;
    try (FrameAccumulator frame =
        new FrameAccumulator(
            network.settings().maxFrameBytes(), UnpooledByteBufAllocator.DEFAULT)) {
      frame.append(Unpooled.wrappedBuffer(requestFrame));
      request = frame.finish();
    } catch (FrameException e) {
      metrics.frameRefused(e.refusal().tag());
      return CompletableFuture.completedFuture(
          Frames.encode(Envelopes.error(0, "", e.refusal().errorCode(), e.getMessage())));
    }
    return active.dispatch(client, request).thenApply(reply -> encodeReply(request, reply));
  }

  private byte[] encodeReply(Envelope request, Envelope reply) {
    if (reply.getSerializedSize() > network.settings().maxFrameBytes()) {
      return Frames.encode(
          Envelopes.error(request, ErrorCodes.FRAME_TOO_LARGE, "reply exceeds frame limit"));
    }
    return Frames.encode(reply);
  }

  @Override
  public synchronized void close() {
    if (port >= 0) {
      network.unbind(port);
    }
    dispatcher = Optional.empty();
  }
}
