package io.mpcw.votes;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Several payments' vote requests to one node in one exchange (transport message type {@value
 * #TYPE}). The orchestrator sends one when requests to the node queued while an earlier exchange
 * with it was in flight, so batches form only under load; the node evaluates each vote alone and
 * records them all in one etcd transaction ({@link EtcdVoteLedger#castAll}).
 */
public record VoteBatchRequest(@JsonProperty("votes") List<VoteRequest> votes) {
  public static final String TYPE = "vote.batch.v1";

  /** The most votes in one batch: what one ledger transaction takes. */
  public static final int MAX_VOTES = EtcdVoteLedger.MAX_BATCH;

  /**
   * Refuses a batch the node must not serve: empty, too long, a request without its ids or
   * recipient, or two requests on one payment (etcd refuses a transaction that writes one key
   * twice, and a node votes once per payment).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public VoteBatchRequest validated() {
    if (votes == null || votes.isEmpty()) {
      throw new IllegalArgumentException("a vote batch holds at least one vote");
    }
    if (votes.size() > MAX_VOTES) {
      throw new IllegalArgumentException(
          "a vote batch holds at most " + MAX_VOTES + " votes, not " + votes.size());
    }
    Set<UUID> payments = new HashSet<>();
    for (VoteRequest vote : votes) {
      if (vote == null) {
        throw new IllegalArgumentException("a vote batch holds no null vote");
      }
      // its constructor is what refuses a request without ids or recipient
      vote.payload();
      if (!payments.add(vote.txId())) {
        throw new IllegalArgumentException("a vote batch asks once per payment");
      }
    }
    return this;
  }
}
