package io.mpcw.transport;

import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one request. The reply's type and payload (or error) come from the handler; version and
 * request id are set by the transport. A thrown exception or failed future becomes an {@code
 * INTERNAL} error reply whose details stay on the server.
 */
@FunctionalInterface
public interface RequestHandler {

  CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request);
}
