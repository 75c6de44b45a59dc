package io.mpcw.protocol.dkg;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Starts a DKG on one participant: {@code dkg.part1.v1}. The FROST identifier of a participant is
 * its 1-based position in {@code participants}, which every participant and the wallet row keep in
 * this order.
 */
public record DkgPart1Request(UUID walletId, List<String> participants, int threshold) {
  public static final String TYPE = "dkg.part1.v1";

  public DkgPart1Request {
    Objects.requireNonNull(walletId, "wallet_id");
    participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
    if (Set.copyOf(participants).size() != participants.size()) {
      throw new IllegalArgumentException("participants repeat a node");
    }
    if (threshold < 2 || threshold > participants.size()) {
      throw new IllegalArgumentException(
          "threshold must be between 2 and the number of participants ("
              + participants.size()
              + ")");
    }
  }

  /** The FROST identifier (1-based) of {@code nodeId}, or 0 when it is not a participant. */
  public int identifierOf(String nodeId) {
    return participants.indexOf(nodeId) + 1;
  }
}
