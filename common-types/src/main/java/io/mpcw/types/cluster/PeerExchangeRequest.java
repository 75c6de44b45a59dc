package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * {@code peers.exchange.v1}: a node sends the peers it knows to another node while the registry
 * cannot be reached, and gets that node's list back ({@link PeerExchangeReply}). The sender is the
 * identity its QUIC client certificate proves, never a field. The orchestrator sends an empty list:
 * it only reads.
 */
public record PeerExchangeRequest(@JsonProperty("peers") List<PeerEntry> peers) {
  public static final String TYPE = "peers.exchange.v1";

  public PeerExchangeRequest {
    peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
  }
}
