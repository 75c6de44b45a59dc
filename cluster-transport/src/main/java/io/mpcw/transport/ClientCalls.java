package io.mpcw.transport;

import io.mpcw.transport.frame.proto.Envelope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The client half both transports share: error replies become exceptions, outcomes are counted. */
public final class ClientCalls {

  private ClientCalls() {}

  /**
   * Completes with {@code raw}'s reply unless it is an error reply or {@code raw} failed, in which
   * case it completes with a {@link TransportException}.
   */
  public static CompletableFuture<Envelope> settle(
      CompletableFuture<Envelope> raw, String type, TransportMetrics metrics) {
    long started = System.nanoTime();
    CompletableFuture<Envelope> settled = new CompletableFuture<>();
    raw.whenComplete(
        (reply, failure) -> {
          TransportException error =
              failure != null ? asTransportException(failure) : errorOf(reply);
          String outcome = error == null ? "ok" : error.kind().tag();
          metrics.requestCompleted(
              TransportMetrics.CLIENT, type, outcome, System.nanoTime() - started);
          if (error == null) {
            settled.complete(reply);
          } else {
            settled.completeExceptionally(error);
          }
        });
    return settled;
  }

  private static TransportException errorOf(Envelope reply) {
    return reply.hasError() ? TransportException.fromErrorReply(reply) : null;
  }

  static TransportException asTransportException(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TransportException transport) {
      return transport;
    }
    return new TransportException(TransportException.Kind.UNREACHABLE, cause.toString(), cause);
  }
}
