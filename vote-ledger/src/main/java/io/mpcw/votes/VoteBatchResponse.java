package io.mpcw.votes;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A node's answers to a {@link VoteBatchRequest}, one per vote in the order asked (transport
 * message type {@value #TYPE}).
 */
public record VoteBatchResponse(@JsonProperty("answers") List<Answer> answers) {
  public static final String TYPE = "vote.batch.response.v1";

  /**
   * One payment's answer: the vote as {@link VoteResponse} would carry it, or the error code and
   * detail a single request would have been answered with (e.g. {@code VOTING_CLOSED}).
   */
  public record Answer(
      @JsonProperty("tx_id") UUID txId,
      @JsonProperty("vote") VoteResponse vote,
      @JsonProperty("error") String error,
      @JsonProperty("detail") String detail) {

    public static Answer voted(UUID txId, VoteResponse vote) {
      return new Answer(txId, vote, null, null);
    }

    public static Answer refused(UUID txId, String error, String detail) {
      return new Answer(txId, null, error, detail);
    }

    public Optional<VoteResponse> response() {
      return Optional.ofNullable(vote);
    }
  }
}
