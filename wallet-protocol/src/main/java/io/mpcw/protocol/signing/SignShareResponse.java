package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** {@code sign.share.reply.v1}: per input in order, hex of this signer's {@code SignatureShare}. */
public record SignShareResponse(UUID sessionId, String nodeId, List<String> shares) {
  public static final String TYPE = "sign.share.reply.v1";

  public SignShareResponse {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(nodeId, "node_id");
    shares = List.copyOf(Objects.requireNonNull(shares, "shares"));
  }
}
