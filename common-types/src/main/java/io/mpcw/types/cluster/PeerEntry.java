package io.mpcw.types.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One node as a peer reports it in a peer exchange. The receiver trusts nothing here on its own
 * word: the certificate must chain to the cluster CA and name {@code nodeId}, and {@code
 * lastSeenUnixMs} only decides which of two reports about a node is newer.
 *
 * @param nodeId the node's id, also its certificate CN
 * @param quicAddress where the node's QUIC server listens, {@code host:port}
 * @param certificate the node's certificate, PEM
 * @param status liveness as the reporting peer sees it
 * @param lastSeenUnixMs when the reporting peer (or whoever it learned it from) last heard from the
 *     node directly, in milliseconds since the epoch
 */
public record PeerEntry(
    @JsonProperty("node_id") String nodeId,
    // absent values are written as null, so a reader refuses one entry rather than the whole list
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("quic_address") String quicAddress,
    @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("certificate") String certificate,
    @JsonProperty("status") NodeStatus status,
    @JsonProperty("last_seen_unix_ms") long lastSeenUnixMs) {

  public PeerEntry {
    Objects.requireNonNull(nodeId, "node_id");
    Objects.requireNonNull(status, "status");
  }
}
