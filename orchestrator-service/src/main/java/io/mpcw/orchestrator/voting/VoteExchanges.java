package io.mpcw.orchestrator.voting;

import io.mpcw.orchestrator.cluster.CoalescingLanes;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.votes.VoteBatchRequest;
import io.mpcw.votes.VoteBatchResponse;
import io.mpcw.votes.VoteMessages;
import io.mpcw.votes.VoteRequest;
import io.mpcw.votes.VoteResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * Sends vote requests to the nodes, one exchange in flight per node ({@link CoalescingLanes}):
 * whatever waited while a node's exchange was in flight goes in the next one as one {@code
 * vote.batch.v1} (up to {@link VoteBatchRequest#MAX_VOTES} payments, which the node records in one
 * etcd transaction). So a vote on an idle node leaves at once, alone, as {@code vote.request.v1};
 * under load the QUIC exchange, the node's etcd round trip and etcd's Raft entry and fsync are
 * shared by the batch instead of paid per vote.
 *
 * <p>A batch that fails whole (transport, or an error reply such as {@code ETCD_UNAVAILABLE}) fails
 * each of its requests with that failure, as if each had been sent alone; an answer refused for one
 * payment ({@code VOTING_CLOSED}) fails that request only. Public for the vote bench, which
 * measures the path through it.
 */
public final class VoteExchanges {

  /** See {@link CoalescingLanes#LEAST_BUDGET}: the node keeps a margin to vote and reply. */
  static final Duration LEAST_BUDGET = CoalescingLanes.LEAST_BUDGET;

  private final CoalescingLanes<VoteRequest, VoteResponse> lanes;

  /**
   * @param replies where replies are decoded and the answers completed: never the QUIC event loop
   * @param coalesce false sends every request at once, alone (the behaviour before batching, kept
   *     for side-by-side measurements)
   * @param sent told the number of votes of each exchange sent
   */
  public VoteExchanges(
      TransportClient transport, Executor replies, boolean coalesce, IntConsumer sent) {
    this.lanes = new CoalescingLanes<>(new VoteWire(), transport, replies, coalesce, sent);
  }

  /**
   * Asks the node at {@code endpoint} for its vote; completes with its answer, or exceptionally
   * with a {@link TransportException}, never later than {@code deadline} from now.
   */
  public CompletableFuture<VoteResponse> ask(
      Endpoint endpoint, VoteRequest request, Duration deadline) {
    return lanes.ask(endpoint, request, deadline);
  }

  /** Votes alone and in batches; one vote per payment in a batch, answered in the order asked. */
  private static final class VoteWire implements CoalescingLanes.Wire<VoteRequest, VoteResponse> {
    @Override
    public String noun() {
      return "vote request";
    }

    @Override
    public String singleType() {
      return VoteRequest.TYPE;
    }

    @Override
    public byte[] encode(VoteRequest request) {
      return VoteMessages.encode(request);
    }

    @Override
    public VoteResponse decode(byte[] reply) {
      return VoteMessages.decode(reply, VoteResponse.class);
    }

    @Override
    public String batchType() {
      return VoteBatchRequest.TYPE;
    }

    @Override
    public int maxBatch() {
      return VoteBatchRequest.MAX_VOTES;
    }

    @Override
    public Object batchKey(VoteRequest request) {
      return request.txId();
    }

    @Override
    public byte[] encodeBatch(List<VoteRequest> requests) {
      return VoteMessages.encode(new VoteBatchRequest(requests));
    }

    @Override
    public List<CoalescingLanes.Answer<VoteResponse>> decodeBatch(
        List<VoteRequest> asked, byte[] reply) {
      List<VoteBatchResponse.Answer> answers =
          VoteMessages.decode(reply, VoteBatchResponse.class).answers();
      return answers == null ? null : answers.stream().map(VoteWire::answer).toList();
    }

    private static CoalescingLanes.Answer<VoteResponse> answer(VoteBatchResponse.Answer answer) {
      if (answer == null) {
        return null;
      }
      if (answer.vote() != null) {
        return CoalescingLanes.Answer.answered(answer.txId(), answer.vote());
      }
      // the exception the same refusal of a lone request is
      return CoalescingLanes.Answer.failed(
          answer.txId(), TransportException.remote(answer.error(), answer.detail()));
    }
  }
}
