package io.mpcw.protocol.dkg;

import java.util.Objects;
import java.util.UUID;

/**
 * {@code dkg.part1.reply.v1}: the participant's round-1 package (commitment + proof of knowledge),
 * hex of {@code Round1Package.encode()}. Broadcast to every participant by the coordinator.
 */
public record DkgPart1Response(UUID walletId, String nodeId, int identifier, String round1Package) {
  public static final String TYPE = "dkg.part1.reply.v1";

  public DkgPart1Response {
    Objects.requireNonNull(walletId, "wallet_id");
    Objects.requireNonNull(nodeId, "node_id");
    Objects.requireNonNull(round1Package, "round1_package");
  }
}
