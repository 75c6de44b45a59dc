package io.mpcw.node.vote;

import io.mpcw.node.fault.ByzantineMode;
import io.mpcw.node.request.StrictPayload;
import io.mpcw.transport.RateLimitedLog;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code vote.request.v1}. Called on the transport's event loop, so it only decodes there
 * and hands the vote (policy, signature, etcd) to the vote workers. Every failure it knows becomes
 * an error reply with a code the orchestrator can act on; nothing here may take the server down.
 */
public final class VoteHandler implements RequestHandler {

  private static final Logger log = LoggerFactory.getLogger(VoteHandler.class);

  private final VoteService votes;
  private final VoteLedgers ledgers;
  private final ByzantineMode mode;
  private final VoteMetrics metrics;
  private final Executor workers;
  private final Clock clock;
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
    this.workers = workers;
    this.clock = clock;
    this.refusals = metrics.rateLimited(log, "node_vote_refusal");
  }

  @Override
  public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
    long started = System.nanoTime();
    if (!VoteRequest.TYPE.equals(request.getType())) {
      return CompletableFuture.completedFuture(
          Envelopes.error(
              request, VoteErrors.UNSUPPORTED_TYPE, "this server handles " + VoteRequest.TYPE));
    }
    if (!peer.name().equals(orchestratorIdentity)) {
      metrics.refused(VoteMetrics.Refusal.FORBIDDEN);
      refusals.warn(
          "vote request from {} refused: only {} asks for votes", peer, orchestratorIdentity);
      return CompletableFuture.completedFuture(
          Envelopes.error(
              request, VoteErrors.FORBIDDEN, "only the orchestrator may ask this node to vote"));
    }
    if (mode == ByzantineMode.SILENT) {
      // never completed: the transport answers DEADLINE_EXCEEDED for it, as for a hung node
      return new CompletableFuture<>();
    }
    VoteRequest vote;
    try {
      vote =
          StrictPayload.decode(
              request.getPayload().toByteArray(),
              VoteRequest.class,
              VoteRequest.TYPE,
              VoteHandler::decodeValid);
    } catch (IllegalArgumentException e) {
      // StrictPayload's messages name what is wrong without repeating the input
      metrics.refused(VoteMetrics.Refusal.MALFORMED);
      refusals.info("malformed vote request from {}: {}", peer, e.getMessage());
      return finished(
          started,
          "malformed",
          Envelopes.error(
              request,
              VoteErrors.MALFORMED_REQUEST,
              "not a valid " + VoteRequest.TYPE + ": " + e.getMessage()));
    }
    Optional<EtcdVoteLedger> ledger = ledgers.within(remaining(request));
    if (ledger.isEmpty()) {
      return finished(
          started,
          "timeout",
          Envelopes.error(request, ErrorCodes.DEADLINE_EXCEEDED, "deadline too close to vote"));
    }
    try {
      return CompletableFuture.supplyAsync(() -> votes.vote(vote, ledger.get()), workers)
          .handle((response, failure) -> reply(peer, request, vote, response, failure))
          .thenCompose(reply -> finished(started, reply.outcome(), reply.envelope()));
    } catch (RejectedExecutionException e) {
      metrics.refused(VoteMetrics.Refusal.OVERLOADED);
      return finished(
          started,
          "overloaded",
          Envelopes.error(request, VoteErrors.OVERLOADED, "all vote workers busy; retry"));
    }
  }

  private Reply reply(
      PeerIdentity peer,
      Envelope request,
      VoteRequest vote,
      VoteResponse response,
      Throwable failure) {
    if (failure == null) {
      return new Reply(
          Envelopes.reply(request, VoteResponse.TYPE, VoteMessages.encode(response)),
          response.outcome());
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof VotingClosedException closed) {
      log.info("vote on {} for {} not recorded: the decision exists", vote.txId(), peer);
      return new Reply(
          Envelopes.error(request, VoteErrors.VOTING_CLOSED, closed.getMessage()), "late");
    }
    if (cause instanceof VoteLedgerException) {
      metrics.refused(VoteMetrics.Refusal.ETCD_UNAVAILABLE);
      log.warn("vote on {} for {} not recorded: {}", vote.txId(), peer, cause.getMessage());
      return new Reply(
          Envelopes.error(
              request,
              VoteErrors.ETCD_UNAVAILABLE,
              "the vote ledger did not confirm the vote; retry (a recorded vote is returned then)"),
          "etcd_unavailable");
    }
    // the transport turns this into an INTERNAL reply and logs it with the cause
    throw new CompletionException(cause);
  }

  private static VoteRequest decodeValid(byte[] payload, Class<VoteRequest> type) {
    VoteRequest vote = VoteMessages.decode(payload, type);
    // its constructor is what refuses a request without ids or recipient
    vote.payload();
    return vote;
  }

  private CompletableFuture<Envelope> finished(long started, String outcome, Envelope reply) {
    metrics.handled(outcome, Duration.ofNanos(System.nanoTime() - started));
    return CompletableFuture.completedFuture(reply);
  }

  private Optional<Duration> remaining(Envelope request) {
    if (request.getDeadlineUnixMs() == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(request.getDeadlineUnixMs() - clock.millis()));
  }

  private record Reply(Envelope envelope, String outcome) {}
}
