package io.mpcw.orchestrator.api.payments;

import io.mpcw.orchestrator.web.ApiException;
import io.mpcw.types.problem.ProblemType;
import io.mpcw.types.transaction.TransactionState;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteLedgerException;
import java.util.UUID;

/**
 * Ends a payment's vote as {@code cancelled} in etcd's decision key, before the database says so:
 * later votes are refused there, and a vote already decided there is not cancelled.
 */
final class VoteCancellation {
  private final EtcdVoteLedger votes;

  VoteCancellation(EtcdVoteLedger votes) {
    this.votes = votes;
  }

  /**
   * @throws ApiException 409 {@code invalid-state} when another decision stands, 503 {@code
   *     unavailable} when etcd cannot be reached (nothing was cancelled)
   */
  void cancel(UUID txId) {
    String standing;
    try {
      standing = votes.decide(txId, TransactionState.CANCELLED.wireName());
    } catch (VoteLedgerException e) {
      throw new ApiException(
          ProblemType.UNAVAILABLE,
          "The vote on transaction " + txId + " cannot be cancelled while etcd is unreachable.");
    }
    if (!standing.equals(TransactionState.CANCELLED.wireName())) {
      throw new ApiException(
          ProblemType.INVALID_STATE,
          "The vote on transaction " + txId + " was already decided (" + standing + ").");
    }
  }
}
