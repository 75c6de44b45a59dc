package io.mpcw.votes;

/** What became of a vote sent to the ledger. */
public sealed interface CastResult {

  /** Recorded, and the digest's counter bumped to {@code countAfter}, in one etcd transaction. */
  record Counted(VoteRecord vote, long countAfter) implements CastResult {}

  /** The node had already voted on this transaction: that first vote stands, no counter moved. */
  record Duplicate(VoteRecord existing) implements CastResult {}

  /** The orchestrator's decision exists: the vote was refused in the same transaction. */
  record Late() implements CastResult {}
}
