package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code sign.share.reply.v2}: per input in order, hex of this signer's {@code SignatureShare}, and
 * as many fresh pooled commitments as the session used, so a signer that answered is ready for the
 * next session at once (empty when the node could not make them).
 */
public record SignPooledShareResponse(
    UUID sessionId, String nodeId, List<String> shares, List<PooledCommitment> fresh) {
  public static final String TYPE = "sign.share.reply.v2";

  public SignPooledShareResponse {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(nodeId, "node_id");
    shares = List.copyOf(Objects.requireNonNull(shares, "shares"));
    fresh = List.copyOf(Objects.requireNonNull(fresh, "fresh"));
  }

  /** The shares alone, as they are recorded in etcd. */
  public SignShareResponse asShareResponse() {
    return new SignShareResponse(sessionId, nodeId, shares);
  }
}
