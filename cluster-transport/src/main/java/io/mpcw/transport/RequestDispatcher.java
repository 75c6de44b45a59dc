package io.mpcw.transport;

import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half both transports share: enforces the request's deadline, turns handler failures
 * into error replies and records server-side metrics. Never completes exceptionally.
 */
public final class RequestDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final RequestHandler handler;
  private final Set<String> servedTypes;
  private final TransportSettings settings;
  private final TransportMetrics metrics;
  private final ScheduledExecutorService timer;
  private final Clock clock;

  public RequestDispatcher(
      RequestHandler handler,
      TransportSettings settings,
      TransportMetrics metrics,
      ScheduledExecutorService timer,
      Clock clock) {
    this.handler = handler;
    this.servedTypes = Set.copyOf(handler.types());
    this.settings = settings;
    this.metrics = metrics;
    this.timer = timer;
    this.clock = clock;
  }

  public CompletableFuture<Envelope> dispatch(PeerIdentity peer, Envelope received) {
    long started = System.nanoTime();
    // from here on the deadline is on this process's clock, whatever the sender's says
    Envelope request = Envelopes.onArrival(received, clock.millis());
    boolean served = servedTypes.contains(request.getType());
    String label = served ? request.getType() : TransportMetrics.UNKNOWN_TYPE;
    long remainingMs = remainingMillis(request);
    CompletableFuture<Envelope> reply = new CompletableFuture<>();
    if (remainingMs <= 0) {
      reply.complete(deadlineExceeded(request));
    } else {
      ScheduledFuture<?> expiry =
          timer.schedule(
              () -> reply.complete(deadlineExceeded(request)), remainingMs, TimeUnit.MILLISECONDS);
      invoke(peer, request)
          .whenComplete(
              (result, failure) -> {
                expiry.cancel(false);
                reply.complete(toReply(peer, label, request, result, failure));
              });
    }
    return reply
        .thenApply(result -> served ? result : withoutEchoedType(request, result))
        .whenComplete(
            (result, ignored) ->
                metrics.requestCompleted(
                    TransportMetrics.SERVER, label, outcome(result), System.nanoTime() - started));
  }

  /**
   * A type the server does not serve is the peer's own string, of up to a frame's length: it goes
   * back neither in the reply nor into a label.
   */
  private static Envelope withoutEchoedType(Envelope request, Envelope reply) {
    return reply.getType().equals(request.getType()) && !reply.getType().isEmpty()
        ? reply.toBuilder().clearType().build()
        : reply;
  }

  private CompletableFuture<Envelope> invoke(PeerIdentity peer, Envelope request) {
    try {
      CompletableFuture<Envelope> future = handler.handle(peer, request);
      return future != null
          ? future
          : CompletableFuture.failedFuture(new IllegalStateException("handler returned no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Envelope toReply(
      PeerIdentity peer, String label, Envelope request, Envelope result, Throwable failure) {
    if (failure == null && result != null) {
      return Envelopes.asReplyTo(request, result);
    }
    log.warn(
        "handler for {} from {} failed (request {})", label, peer, request.getRequestId(), failure);
    return Envelopes.error(request, ErrorCodes.INTERNAL, "handler failed");
  }

  private long remainingMillis(Envelope request) {
    long now = clock.millis();
    long cap = settings.maxDeadline().toMillis();
    if (request.getDeadlineUnixMs() == 0) {
      return cap;
    }
    return Math.min(request.getDeadlineUnixMs() - now, cap);
  }

  private static Envelope deadlineExceeded(Envelope request) {
    return Envelopes.error(request, ErrorCodes.DEADLINE_EXCEEDED, "deadline passed on the server");
  }

  private static String outcome(Envelope reply) {
    if (reply == null) {
      return TransportException.Kind.CLOSED.tag();
    }
    return reply.hasError() ? TransportException.fromErrorReply(reply).kind().tag() : "ok";
  }
}
