package io.mpcw.votes;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** What the orchestrator asks each node to vote on (transport message type {@value #TYPE}). */
public record VoteRequest(
    @JsonProperty("tx_id") UUID txId,
    @JsonProperty("wallet_id") UUID walletId,
    @JsonProperty("recipient") String recipient,
    @JsonProperty("amount_sats") long amountSats,
    @JsonProperty("metadata") String metadata) {
  public static final String TYPE = "vote.request.v1";

  public VotePayload payload() {
    return new VotePayload(txId, walletId, recipient, amountSats);
  }
}
