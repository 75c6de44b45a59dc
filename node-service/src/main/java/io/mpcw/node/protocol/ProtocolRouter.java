package io.mpcw.node.protocol;

import io.mpcw.node.request.RequestPath;
import io.mpcw.node.request.StrictPayload;
import io.mpcw.node.session.InFlightSessions;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.RateLimitedLog;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one request handler: votes go to the vote handler, DKG and signing messages to their
 * participants, anything else is refused. Called on the transport's event loop, so it only checks
 * the caller and decodes there; the participants (EC arithmetic, disk, etcd) run on a bounded
 * worker pool. Every failure becomes an error reply; nothing here may take the server down.
 */
public final class ProtocolRouter implements RequestHandler {

  private static final Logger log = LoggerFactory.getLogger(ProtocolRouter.class);

  /** Said to a peer that asks for a type this node does not serve; the type is not repeated. */
  static final String UNSUPPORTED_DETAIL = "message type not served by this node";

  private final RequestHandler votes;
  private final Map<String, Route<?, ?>> routes;
  private final RequestPath path;
  private final ProtocolMetrics metrics;
  private final InFlightSessions sessions;
  private final Set<String> types;
  private final RateLimitedLog refusals;

  public ProtocolRouter(
      RequestHandler votes,
      List<Route<?, ?>> routes,
      String orchestratorIdentity,
      Executor workers,
      ProtocolMetrics metrics,
      InFlightSessions sessions) {
    this.votes = votes;
    this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(Route::type, r -> r));
    this.path = new RequestPath(orchestratorIdentity, workers);
    this.metrics = metrics;
    this.sessions = sessions;
    this.types =
        Stream.concat(
                Stream.of(VoteRequest.TYPE, VoteBatchRequest.TYPE), this.routes.keySet().stream())
            .collect(Collectors.toUnmodifiableSet());
    this.refusals = metrics.rateLimited(log, "node_protocol_refusal");
  }

  @Override
  public Set<String> types() {
    return types;
  }

  @Override
  public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
    if (VoteRequest.TYPE.equals(request.getType())
        || VoteBatchRequest.TYPE.equals(request.getType())) {
      return votes.handle(peer, request);
    }
    Route<?, ?> route = routes.get(request.getType());
    if (route == null) {
      metrics.unsupported();
      return CompletableFuture.completedFuture(
          Envelopes.error(request, ProtocolErrors.UNSUPPORTED_TYPE, UNSUPPORTED_DETAIL));
    }
    return path.serve(
        peer,
        request,
        new Routed<>(peer, request, route, System.nanoTime()),
        route.type() + " is served to the orchestrator only");
  }

  /** One DKG, signing or lifecycle request on its way through the {@link RequestPath}. */
  private final class Routed<Q, R> implements RequestPath.Exchange<Q, R> {
    private final PeerIdentity peer;
    private final Envelope request;
    private final Route<Q, R> route;
    private final long started;

    Routed(PeerIdentity peer, Envelope request, Route<Q, R> route, long started) {
      this.peer = peer;
      this.request = request;
      this.route = route;
      this.started = started;
    }

    @Override
    public Envelope refused(RequestPath.Refusal why, String detail) {
      return switch (why) {
        case FORBIDDEN -> {
          refusals.warn("{} refused: {} is not the orchestrator", route.type(), peer);
          yield refuse(RequestPath.FORBIDDEN, detail);
        }
        case MALFORMED -> {
          refusals.info("malformed {} from {}: {}", route.type(), peer, detail);
          yield refuse(ProtocolErrors.MALFORMED_REQUEST, detail);
        }
        case OVERLOADED ->
            refuse(ProtocolErrors.OVERLOADED, "all protocol workers are busy; retry");
      };
    }

    @Override
    public Q decode(StrictPayload payload, byte[] bytes) {
      return payload.read(bytes, route.requestType(), route.type(), ProtocolMessages::decode);
    }

    @Override
    public Runnable begin() {
      return sessions.begin()::close;
    }

    @Override
    public R serve(Q message) {
      return route.serve().apply(message);
    }

    @Override
    public Envelope answer(StrictPayload payload, Q message, R reply) {
      metrics.succeeded(route, Duration.ofNanos(System.nanoTime() - started));
      return Envelopes.reply(request, route.replyType(), ProtocolMessages.encode(reply));
    }

    @Override
    public Envelope failed(StrictPayload payload, Q message, Throwable cause) {
      if (cause instanceof ProtocolException refusal) {
        String detail = RequestPath.detail(refusal);
        refusals.info("{} from {} refused: {} {}", route.type(), peer, refusal.code(), detail);
        metrics.refused(route, refusal.code());
        return Envelopes.error(request, refusal.code(), detail);
      }
      if (cause instanceof IllegalArgumentException invalid) {
        // values that decode as JSON but not as keys, points or transactions: the participant's
        // words may quote the value, which neither the reply nor the log repeats
        String reason =
            payload.safe(invalid.getMessage(), "a value of " + route.type() + " is not valid here");
        refusals.info("invalid {} from {}: {}", route.type(), peer, reason);
        metrics.refused(route, ProtocolErrors.MALFORMED_REQUEST);
        return Envelopes.error(request, ProtocolErrors.MALFORMED_REQUEST, reason);
      }
      log.error("{} from {} failed", route.type(), peer, cause);
      metrics.failed(route);
      return Envelopes.error(request, ErrorCodes.INTERNAL, "internal error; see the node's log");
    }

    private Envelope refuse(String code, String detail) {
      metrics.refused(route, code);
      return Envelopes.error(request, code, detail);
    }
  }
}
