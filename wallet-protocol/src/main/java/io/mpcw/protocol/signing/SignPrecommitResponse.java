package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Objects;

/** {@code sign.precommit.reply.v1}: this signer's FROST identifier and its fresh commitments. */
public record SignPrecommitResponse(
    String nodeId, int identifier, long epoch, List<PooledCommitment> commitments) {
  public static final String TYPE = "sign.precommit.reply.v1";

  public SignPrecommitResponse {
    Objects.requireNonNull(nodeId, "node_id");
    commitments = List.copyOf(Objects.requireNonNull(commitments, "commitments"));
  }
}
