package io.mpcw.transport;

import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one request. The reply's type and payload (or error) come from the handler; version and
 * request id are set by the transport. A thrown exception or failed future becomes an {@code
 * INTERNAL} error reply whose details stay on the server.
 */
@FunctionalInterface
public interface RequestHandler {

  CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request);

  /**
   * The message types this handler serves. The server labels its metrics with these types only and
   * every other one as {@value TransportMetrics#UNKNOWN_TYPE}: a request's type is chosen by the
   * peer, and a label per distinct string would let any peer grow the metrics without bound.
   */
  default Set<String> types() {
    return Set.of();
  }
}
