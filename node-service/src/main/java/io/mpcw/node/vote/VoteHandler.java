package io.mpcw.node.vote;

import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.request.RequestPath;
import io.mpcw.node.request.StrictPayload;
import io.mpcw.transport.RateLimitedLog;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.votes.CastResult;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code vote.request.v1} and {@code vote.batch.v1}. Called on the transport's event loop,
 * so it only decodes there and hands the vote (policy, signature, etcd) to the vote workers. Every
 * failure it knows becomes an error reply with a code the orchestrator can act on; nothing here may
 * take the server down.
 */
public final class VoteHandler implements RequestHandler {

  private static final Logger log = LoggerFactory.getLogger(VoteHandler.class);

  private final VoteService votes;
  private final VoteLedgers ledgers;
  private final ByzantineMode mode;
  private final VoteMetrics metrics;
  private final Clock clock;
  private final RequestPath path;
  private final String orchestratorIdentity;
  private final RateLimitedLog refusals;

  /**
   * @param orchestratorIdentity the one certificate CN that may ask for a vote: a peer node asking
   *     would make honest nodes vote on a payload of its choosing, spend their limits and race the
   *     orchestrator's own request for the vote key
   */
  public VoteHandler(
      VoteService votes,
      VoteLedgers ledgers,
      ByzantineMode mode,
      VoteMetrics metrics,
      Executor workers,
      Clock clock,
      String orchestratorIdentity) {
    this.orchestratorIdentity = orchestratorIdentity;
    this.votes = votes;
    this.ledgers = ledgers;
    this.mode = mode;
    this.metrics = metrics;
    this.clock = clock;
    this.path = new RequestPath(orchestratorIdentity, workers);
    this.refusals = metrics.rateLimited(log, "node_vote_refusal");
  }

  @Override
  public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
    boolean batch = VoteBatchRequest.TYPE.equals(request.getType());
    if (!batch && !VoteRequest.TYPE.equals(request.getType())) {
      return CompletableFuture.completedFuture(
          Envelopes.error(
              request,
              VoteErrors.UNSUPPORTED_TYPE,
              "this server handles " + VoteRequest.TYPE + " and " + VoteBatchRequest.TYPE));
    }
    if (mode == ByzantineMode.SILENT && path.fromOrchestrator(peer)) {
      // never completed: the transport answers DEADLINE_EXCEEDED for it, as for a hung node
      return new CompletableFuture<>();
    }
    String forbidden = "only the orchestrator may ask this node to vote";
    if (batch) {
      return path.serve(peer, request, new Batch(peer, request, System.nanoTime()), forbidden);
    }
    return path.serve(peer, request, new Vote(peer, request, System.nanoTime()), forbidden);
  }

  /** The refusals on the way in, worded and counted alike for single votes and batches. */
  private Envelope refusal(
      PeerIdentity peer,
      Envelope request,
      String type,
      RequestPath.Refusal why,
      String detail,
      BiFunction<String, Envelope, Envelope> finished) {
    return switch (why) {
      case FORBIDDEN -> {
        metrics.refused(VoteMetrics.Refusal.FORBIDDEN);
        refusals.warn(
            "vote request from {} refused: only {} asks for votes", peer, orchestratorIdentity);
        yield Envelopes.error(request, RequestPath.FORBIDDEN, detail);
      }
      case MALFORMED -> {
        metrics.refused(VoteMetrics.Refusal.MALFORMED);
        refusals.info("malformed {} from {}: {}", type, peer, detail);
        yield finished.apply(
            "malformed",
            Envelopes.error(
                request, VoteErrors.MALFORMED_REQUEST, "not a valid " + type + ": " + detail));
      }
      case OVERLOADED -> {
        metrics.refused(VoteMetrics.Refusal.OVERLOADED);
        yield finished.apply(
            "overloaded",
            Envelopes.error(request, VoteErrors.OVERLOADED, "all vote workers busy; retry"));
      }
    };
  }

  private static Envelope tooLate(Envelope request) {
    return Envelopes.error(request, ErrorCodes.DEADLINE_EXCEEDED, "deadline too close to vote");
  }

  private Envelope ledgerUnavailable(Envelope request) {
    metrics.refused(VoteMetrics.Refusal.ETCD_UNAVAILABLE);
    return Envelopes.error(
        request,
        VoteErrors.ETCD_UNAVAILABLE,
        "the vote ledger did not confirm the vote; retry (a recorded vote is returned then)");
  }

  /**
   * What a single vote and a batch share on their way through the {@link RequestPath}: who asked,
   * the refusals, the ledger cut to the request's deadline, and the timing of the reply.
   */
  private abstract class Exchanged<Q, R> implements RequestPath.Exchange<Q, R> {
    final PeerIdentity peer;
    final Envelope request;
    final long started;
    private final String type;
    Optional<EtcdVoteLedger> ledger = Optional.empty();

    Exchanged(PeerIdentity peer, Envelope request, long started, String type) {
      this.peer = peer;
      this.request = request;
      this.started = started;
      this.type = type;
    }

    @Override
    public Envelope refused(RequestPath.Refusal why, String detail) {
      return refusal(peer, request, type, why, detail, this::finished);
    }

    @Override
    public Optional<Envelope> before(Q message) {
      ledger = ledgers.within(remaining(request));
      return ledger.isEmpty()
          ? Optional.of(finished("timeout", tooLate(request)))
          : Optional.empty();
    }

    Envelope finished(String outcome, Envelope reply) {
      metrics.handled(outcome, Duration.ofNanos(System.nanoTime() - started));
      return reply;
    }
  }

  /**
   * One {@code vote.batch.v1}: every vote evaluated and signed alone, in the order asked, then all
   * recorded in one etcd transaction; each payment gets the answer a single request would have had.
   * A batch that cannot be served whole (malformed, etcd unavailable) is refused whole, and the
   * orchestrator treats that as each vote's refusal.
   */
  private final class Batch extends Exchanged<VoteBatchRequest, VoteBatchResponse> {

    Batch(PeerIdentity peer, Envelope request, long started) {
      super(peer, request, started, VoteBatchRequest.TYPE);
    }

    @Override
    public VoteBatchRequest decode(StrictPayload payload, byte[] bytes) {
      return payload.read(
          bytes,
          VoteBatchRequest.class,
          VoteBatchRequest.TYPE,
          (b, type) -> VoteMessages.decode(b, type).validated());
    }

    @Override
    public VoteBatchResponse serve(VoteBatchRequest batch) {
      List<VoteService.Prepared> prepared = batch.votes().stream().map(votes::prepare).toList();
      List<CastResult> results =
          ledger.orElseThrow().castAll(prepared.stream().map(VoteService.Prepared::vote).toList());
      List<VoteBatchResponse.Answer> answers = new ArrayList<>(prepared.size());
      for (int i = 0; i < prepared.size(); i++) {
        UUID txId = prepared.get(i).request().txId();
        try {
          VoteResponse response = votes.conclude(prepared.get(i), results.get(i));
          answers.add(VoteBatchResponse.Answer.voted(txId, response));
        } catch (VotingClosedException closed) {
          log.info("vote on {} for {} not recorded: the decision exists", txId, peer);
          answers.add(
              VoteBatchResponse.Answer.refused(
                  txId, VoteErrors.VOTING_CLOSED, RequestPath.detail(closed)));
        }
      }
      return new VoteBatchResponse(answers);
    }

    @Override
    public Envelope answer(
        StrictPayload payload, VoteBatchRequest batch, VoteBatchResponse response) {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      for (VoteBatchResponse.Answer answer : response.answers()) {
        metrics.handled(answer.response().map(VoteResponse::outcome).orElse("late"), took);
      }
      metrics.batch(response.answers().size());
      return Envelopes.reply(request, VoteBatchResponse.TYPE, VoteMessages.encode(response));
    }

    @Override
    public Envelope failed(StrictPayload payload, VoteBatchRequest batch, Throwable cause) {
      if (cause instanceof VoteLedgerException) {
        log.warn(
            "{} votes for {} not recorded: {}", batch.votes().size(), peer, cause.getMessage());
        return finished("etcd_unavailable", ledgerUnavailable(request));
      }
      throw new CompletionException(cause);
    }
  }

  /** One vote request on its way through the {@link RequestPath}. */
  private final class Vote extends Exchanged<VoteRequest, VoteResponse> {

    Vote(PeerIdentity peer, Envelope request, long started) {
      super(peer, request, started, VoteRequest.TYPE);
    }

    @Override
    public VoteRequest decode(StrictPayload payload, byte[] bytes) {
      return payload.read(bytes, VoteRequest.class, VoteRequest.TYPE, VoteHandler::decodeValid);
    }

    @Override
    public VoteResponse serve(VoteRequest vote) {
      return votes.vote(vote, ledger.orElseThrow());
    }

    @Override
    public Envelope answer(StrictPayload payload, VoteRequest vote, VoteResponse response) {
      return finished(
          response.outcome(),
          Envelopes.reply(request, VoteResponse.TYPE, VoteMessages.encode(response)));
    }

    @Override
    public Envelope failed(StrictPayload payload, VoteRequest vote, Throwable cause) {
      if (cause instanceof VotingClosedException closed) {
        log.info("vote on {} for {} not recorded: the decision exists", vote.txId(), peer);
        return finished(
            "late", Envelopes.error(request, VoteErrors.VOTING_CLOSED, RequestPath.detail(closed)));
      }
      if (cause instanceof VoteLedgerException) {
        log.warn("vote on {} for {} not recorded: {}", vote.txId(), peer, cause.getMessage());
        return finished("etcd_unavailable", ledgerUnavailable(request));
      }
      // the transport turns this into an INTERNAL reply and logs it with the cause
      throw new CompletionException(cause);
    }
  }

  private static VoteRequest decodeValid(byte[] payload, Class<VoteRequest> type) {
    VoteRequest vote = VoteMessages.decode(payload, type);
    // its constructor is what refuses a request without ids or recipient
    vote.payload();
    return vote;
  }

  private Optional<Duration> remaining(Envelope request) {
    if (request.getDeadlineUnixMs() == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(request.getDeadlineUnixMs() - clock.millis()));
  }
}
