package io.mpcw.votes;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A node's answer: its signed vote as recorded in etcd and what the ledger did with it (transport
 * message type {@value #TYPE}).
 *
 * @param outcome {@code counted}, {@code duplicate} (the first vote stands) or {@code late}
 */
public record VoteResponse(
    @JsonProperty("vote") VoteRecord vote, @JsonProperty("outcome") String outcome) {
  public static final String TYPE = "vote.response.v1";

  public static VoteResponse of(VoteRecord vote, CastResult result) {
    if (result instanceof CastResult.Counted counted) {
      return new VoteResponse(counted.vote(), "counted");
    }
    if (result instanceof CastResult.Duplicate duplicate) {
      return new VoteResponse(duplicate.existing(), "duplicate");
    }
    return new VoteResponse(vote, "late");
  }
}
