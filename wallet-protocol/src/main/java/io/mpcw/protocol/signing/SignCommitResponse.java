package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code sign.commit.reply.v1}: this signer's FROST identifier and, per input in order, the hex of
 * its {@code SigningCommitments.encode()}.
 */
public record SignCommitResponse(
    UUID sessionId, String nodeId, int identifier, List<String> commitments) {
  public static final String TYPE = "sign.commit.reply.v1";

  public SignCommitResponse {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(nodeId, "node_id");
    commitments = List.copyOf(Objects.requireNonNull(commitments, "commitments"));
  }
}
