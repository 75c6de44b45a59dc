package io.mpcw.node.vote;

import java.util.UUID;

/**
 * The decision on the payment was in etcd before this node's vote: the ledger refused to record it,
 * and the node answers with no vote at all ({@link VoteErrors#VOTING_CLOSED}), never with the
 * signed record it did not store.
 */
public final class VotingClosedException extends RuntimeException {
  public VotingClosedException(UUID txId) {
    super(
        "the decision on " + txId + " is in etcd; this node recorded no vote", null, false, false);
  }
}
