package io.mpcw.protocol.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A repair's QUIC messages (same envelope and codec as the refresh's, see {@link
 * LifecycleMessages}): after the vote, {@code repair.part1.v1} and {@code repair.part2.v1} at t
 * helpers, then {@code repair.recover.v1} at the participant that lost its share; the last answers
 * with {@link LifecycleMessages.EpochResponse}.
 */
public final class RepairMessages {
  private RepairMessages() {}

  /**
   * Repair, step 1 at each helper: its part of the lost share, split in one random piece per
   * helper, each sealed to that helper.
   *
   * @param lost the participant whose share is to be rebuilt
   * @param helpers the t helpers (current participants, not {@code lost})
   * @param votes node → its signed vote; ≥ t approvals of this repair are required
   */
  public record RepairPart1Request(
      UUID operationId,
      UUID walletId,
      long epoch,
      String lost,
      List<String> helpers,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "repair.part1.v1";

    public RepairPart1Request {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      Objects.requireNonNull(lost, "lost");
      helpers = List.copyOf(Objects.requireNonNull(helpers, "helpers"));
      votes = Map.copyOf(Objects.requireNonNull(votes, "votes"));
    }
  }

  /** {@code repair.part1.reply.v1}: helper → its piece for that helper, sealed (base64). */
  public record RepairPart1Response(UUID operationId, String nodeId, Map<String, String> sealed) {
    public static final String TYPE = "repair.part1.reply.v1";

    public RepairPart1Response {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(nodeId, "node_id");
      sealed = Map.copyOf(Objects.requireNonNull(sealed, "sealed"));
    }
  }

  /** Repair, step 2 at each helper: the pieces the other helpers sealed to it. */
  public record RepairPart2Request(
      UUID operationId, UUID walletId, long epoch, Map<String, String> sealed) {
    public static final String TYPE = "repair.part2.v1";

    public RepairPart2Request {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      sealed = Map.copyOf(Objects.requireNonNull(sealed, "sealed"));
    }
  }

  /**
   * {@code repair.part2.reply.v1}: the helper's sum of pieces, sealed to the lost participant, with
   * the public key package it vouches for (hex; the seal is bound to it).
   */
  public record RepairPart2Response(
      UUID operationId, String nodeId, String publicKeyPackage, String sealedSum) {
    public static final String TYPE = "repair.part2.reply.v1";

    public RepairPart2Response {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(nodeId, "node_id");
      Objects.requireNonNull(publicKeyPackage, "public_key_package");
      Objects.requireNonNull(sealedSum, "sealed_sum");
    }
  }

  /**
   * Repair, step 3 at the lost participant: what it needs to rebuild and check its share.
   *
   * @param sums helper → its sealed sum
   */
  public record RepairRecoverRequest(
      UUID operationId,
      UUID walletId,
      long epoch,
      List<String> participants,
      int threshold,
      String publicKeyPackage,
      String groupPublicKey,
      Map<String, String> sums) {
    public static final String TYPE = "repair.recover.v1";

    public RepairRecoverRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
      Objects.requireNonNull(publicKeyPackage, "public_key_package");
      Objects.requireNonNull(groupPublicKey, "group_public_key");
      sums = Map.copyOf(Objects.requireNonNull(sums, "sums"));
    }
  }
}
