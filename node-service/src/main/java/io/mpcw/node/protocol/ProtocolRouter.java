package io.mpcw.node.protocol;

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
import io.mpcw.votes.VoteRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

  /**
   * DKG and signing are the orchestrator's to drive: a node asking for them is refused with this
   * code. A compromised peer must not be able to burn nonces or start key generations.
   */
  public static final String FORBIDDEN = "FORBIDDEN";

  private static final Logger log = LoggerFactory.getLogger(ProtocolRouter.class);
  private static final int MAX_DETAIL = 300;

  /** Said to a peer that asks for a type this node does not serve; the type is not repeated. */
  static final String UNSUPPORTED_DETAIL = "message type not served by this node";

  private final RequestHandler votes;
  private final Map<String, Route<?, ?>> routes;
  private final String orchestratorIdentity;
  private final Executor workers;
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
    this.orchestratorIdentity = orchestratorIdentity;
    this.workers = workers;
    this.metrics = metrics;
    this.sessions = sessions;
    this.types =
        Stream.concat(Stream.of(VoteRequest.TYPE), this.routes.keySet().stream())
            .collect(Collectors.toUnmodifiableSet());
    this.refusals = metrics.rateLimited(log, "node_protocol_refusal");
  }

  @Override
  public Set<String> types() {
    return types;
  }

  @Override
  public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
    if (VoteRequest.TYPE.equals(request.getType())) {
      return votes.handle(peer, request);
    }
    Route<?, ?> route = routes.get(request.getType());
    if (route == null) {
      metrics.unsupported();
      return done(Envelopes.error(request, ProtocolErrors.UNSUPPORTED_TYPE, UNSUPPORTED_DETAIL));
    }
    return dispatch(peer, request, route);
  }

  private <Q, R> CompletableFuture<Envelope> dispatch(
      PeerIdentity peer, Envelope request, Route<Q, R> route) {
    long started = System.nanoTime();
    if (!peer.name().equals(orchestratorIdentity)) {
      refusals.warn("{} refused: {} is not the orchestrator", route.type(), peer);
      return refuse(
          request, route, FORBIDDEN, route.type() + " is served to the orchestrator only");
    }
    Q message;
    StrictPayload payload;
    try {
      byte[] bytes = request.getPayload().toByteArray();
      payload = StrictPayload.check(bytes);
      message = payload.decode(bytes, route.requestType(), route.type(), ProtocolMessages::decode);
    } catch (IllegalArgumentException e) {
      // StrictPayload's messages name what is wrong without repeating the input
      refusals.info("malformed {} from {}: {}", route.type(), peer, e.getMessage());
      return refuse(request, route, ProtocolErrors.MALFORMED_REQUEST, e.getMessage());
    }
    InFlightSessions.Session session = sessions.begin();
    try {
      return CompletableFuture.supplyAsync(() -> route.serve().apply(message), workers)
          .handle((reply, failure) -> reply(peer, request, payload, route, reply, failure, started))
          .whenComplete((reply, failure) -> session.close());
    } catch (RejectedExecutionException e) {
      session.close();
      return refuse(
          request, route, ProtocolErrors.OVERLOADED, "all protocol workers are busy; retry");
    }
  }

  private <Q, R> Envelope reply(
      PeerIdentity peer,
      Envelope request,
      StrictPayload payload,
      Route<Q, R> route,
      R reply,
      Throwable failure,
      long started) {
    if (failure == null) {
      metrics.succeeded(route, Duration.ofNanos(System.nanoTime() - started));
      return Envelopes.reply(request, route.replyType(), ProtocolMessages.encode(reply));
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof ProtocolException refusal) {
      refusals.info(
          "{} from {} refused: {} {}", route.type(), peer, refusal.code(), detail(refusal));
      metrics.refused(route, refusal.code());
      return Envelopes.error(request, refusal.code(), detail(refusal));
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

  private CompletableFuture<Envelope> refuse(
      Envelope request, Route<?, ?> route, String code, String detail) {
    metrics.refused(route, code);
    return done(Envelopes.error(request, code, detail));
  }

  private static CompletableFuture<Envelope> done(Envelope reply) {
    return CompletableFuture.completedFuture(reply);
  }

  private static String detail(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = message.lines().findFirst().orElse("");
    return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "…" : line;
  }
}
