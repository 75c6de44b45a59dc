package io.mpcw.node.request;

import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one way in for a request only the orchestrator may make (votes, DKG, signing, lifecycle). On
 * the transport's event loop it checks the caller, decodes strictly and hands the work to a bounded
 * worker pool; a full pool is refused as overloaded rather than queued without end. The feature
 * ({@link Exchange}) says how each refusal is worded and counted and what its answer is; nothing
 * here may take the server down.
 */
public final class RequestPath {

  /**
   * A caller whose certificate does not allow what it asks: a peer node asking for a vote, a DKG or
   * a signature, or a caller that is neither the orchestrator nor an admitted node asking for the
   * peer list. A compromised peer must not be able to burn nonces or spend another node's limits.
   */
  public static final String FORBIDDEN = "FORBIDDEN";

  private static final int MAX_DETAIL = 300;

  private final String orchestratorIdentity;
  private final Executor workers;

  /**
   * @param orchestratorIdentity the one certificate CN served here
   * @param workers the bounded pool the work runs on (it rejects when full)
   */
  public RequestPath(String orchestratorIdentity, Executor workers) {
    this.orchestratorIdentity = orchestratorIdentity;
    this.workers = workers;
  }

  /** What is refused on the way in, before the feature sees the request. */
  public enum Refusal {
    FORBIDDEN,
    MALFORMED,
    OVERLOADED
  }

  /** One request of one feature: the parts of its path that differ between features. */
  public interface Exchange<Q, R> {

    /** The refusal reply for {@code why}, counted and logged as the feature counts it. */
    Envelope refused(Refusal why, String detail);

    /** Decodes the checked payload into the request message. */
    Q decode(StrictPayload payload, byte[] bytes);

    /** An answer given without doing the work (e.g. a deadline too close), or empty to go on. */
    default Optional<Envelope> before(Q message) {
      return Optional.empty();
    }

    /** Marks the start of the work; the returned hook runs once it ends (or never started). */
    default Runnable begin() {
      return () -> {};
    }

    /** Does the work, on a worker. */
    R serve(Q message);

    /** The reply to a finished piece of work. */
    Envelope answer(StrictPayload payload, Q message, R reply);

    /**
     * The reply to work that failed with {@code cause} (already unwrapped); it may throw, and the
     * transport then answers {@code INTERNAL}.
     */
    Envelope failed(StrictPayload payload, Q message, Throwable cause);
  }

  /** Whether {@code peer} is the orchestrator, the only caller served on this path. */
  public boolean fromOrchestrator(PeerIdentity peer) {
    return peer.name().equals(orchestratorIdentity);
  }

  /** Serves {@code request} for the orchestrator; anyone else is refused {@link #FORBIDDEN}. */
  public <Q, R> CompletableFuture<Envelope> serve(
      PeerIdentity peer, Envelope request, Exchange<Q, R> exchange, String forbiddenDetail) {
    if (!fromOrchestrator(peer)) {
      return done(exchange.refused(Refusal.FORBIDDEN, forbiddenDetail));
    }
    return admitted(request, exchange);
  }

  private <Q, R> CompletableFuture<Envelope> admitted(Envelope request, Exchange<Q, R> exchange) {
    byte[] bytes = request.getPayload().toByteArray();
    StrictPayload payload;
    Q message;
    try {
      payload = StrictPayload.check(bytes);
      message = exchange.decode(payload, bytes);
    } catch (IllegalArgumentException e) {
      // StrictPayload's messages name what is wrong without repeating the input
      return done(exchange.refused(Refusal.MALFORMED, e.getMessage()));
    }
    Optional<Envelope> early = exchange.before(message);
    if (early.isPresent()) {
      return done(early.get());
    }
    Runnable end = exchange.begin();
    try {
      return CompletableFuture.supplyAsync(() -> exchange.serve(message), workers)
          .handle(
              (reply, failure) ->
                  failure == null
                      ? exchange.answer(payload, message, reply)
                      : exchange.failed(payload, message, unwrap(failure)))
          .whenComplete((reply, failure) -> end.run());
    } catch (RejectedExecutionException e) {
      end.run();
      return done(exchange.refused(Refusal.OVERLOADED, "all workers are busy; retry"));
    }
  }

  /** The failure a piece of work ended with, without the future's wrapping. */
  public static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** The first line of {@code e}'s message, at most 300 characters: fit for a reply's detail. */
  public static String detail(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = message.lines().findFirst().orElse("");
    return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "…" : line;
  }

  private static CompletableFuture<Envelope> done(Envelope reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
