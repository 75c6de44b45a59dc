package io.mpcw.votes;

/** What became of a vote sent to the ledger. */
public sealed interface CastResult {

  /**
   * Recorded by this call, in one etcd transaction. No count comes with it: counts are computed
   * from the records ({@link VoteSnapshot#counts()}), which is what makes them exact.
   */
  record Counted(VoteRecord vote) implements CastResult {}

  /** The node had already voted on this transaction: that first vote stands. */
  record Duplicate(VoteRecord existing) implements CastResult {}

  /** The orchestrator's decision exists: the vote was refused in the same transaction. */
  record Late() implements CastResult {}
}
