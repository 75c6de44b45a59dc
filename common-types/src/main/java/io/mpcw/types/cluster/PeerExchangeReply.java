package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * {@code peers.exchange.reply.v1}: the answering node's membership, itself included.
 *
 * @param nodeId the answering node
 * @param mode where its membership comes from now: {@code registry} or {@code peer}
 * @param peers every node it knows, dead ones included (with their old last-seen time)
 */
public record PeerExchangeReply(
    @JsonProperty("node_id") String nodeId,
    @JsonProperty("mode") String mode,
    @JsonProperty("peers") List<PeerEntry> peers) {
  public static final String TYPE = "peers.exchange.reply.v1";

  public PeerExchangeReply {
    Objects.requireNonNull(nodeId, "node_id");
    Objects.requireNonNull(mode, "mode");
    peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
  }
}
