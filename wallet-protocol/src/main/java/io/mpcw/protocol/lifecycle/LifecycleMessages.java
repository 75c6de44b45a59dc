package io.mpcw.protocol.lifecycle;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The key lifecycle's QUIC messages (same envelope and codec as the DKG's). A refresh is a vote,
 * then two rounds, then a commit:
 *
 * <ol>
 *   <li>{@code lifecycle.vote.v1}: each current participant decides by its own policy and signs its
 *       vote ({@link LifecycleVote}).
 *   <li>{@code refresh.part1.v1}: with ≥ t signed approvals, each participant deals a sharing of
 *       zero: its commitment, and one share sealed to each peer.
 *   <li>{@code refresh.part2.v1}: each participant checks every zero share against its dealer's
 *       commitment, stages its new share for the next epoch and signs an acknowledgement of the new
 *       public key package.
 *   <li>{@code refresh.commit.v1}: with every participant's acknowledgement of the same package,
 *       each makes the staged share current and erases the old one. {@code refresh.abort.v1}
 *       discards a staged share instead (only ever sent before any commit).
 * </ol>
 */
public final class LifecycleMessages {
  private LifecycleMessages() {}

  /** Ask a participant's vote on a lifecycle operation of a wallet. */
  public record VoteRequest(
      UUID operationId, UUID walletId, String kind, long epoch, String subject) {
    public static final String TYPE = "lifecycle.vote.v1";

    public VoteRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(subject, "subject");
    }
  }

  /** {@code lifecycle.vote.reply.v1}: the signed vote. */
  public record VoteResponse(LifecycleVote vote) {
    public static final String TYPE = "lifecycle.vote.reply.v1";

    public VoteResponse {
      Objects.requireNonNull(vote, "vote");
    }
  }

  /**
   * Deal a zero-sharing for the refresh from {@code epoch} to {@code epoch + 1}.
   *
   * @param votes node → its signed vote; ≥ t approvals of this operation are required
   */
  public record RefreshPart1Request(
      UUID operationId, UUID walletId, long epoch, Map<String, LifecycleVote> votes) {
    public static final String TYPE = "refresh.part1.v1";

    public RefreshPart1Request {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      votes = Map.copyOf(Objects.requireNonNull(votes, "votes"));
    }
  }

  /**
   * {@code refresh.part1.reply.v1}.
   *
   * @param commitment hex of the {@code ZeroCommitment}
   * @param sealed peer node → its zero share, sealed to it (base64), bound to this commitment
   */
  public record RefreshPart1Response(
      UUID operationId, String nodeId, String commitment, Map<String, String> sealed) {
    public static final String TYPE = "refresh.part1.reply.v1";

    public RefreshPart1Response {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(nodeId, "node_id");
      Objects.requireNonNull(commitment, "commitment");
      sealed = Map.copyOf(Objects.requireNonNull(sealed, "sealed"));
    }
  }

  /**
   * Apply the zero-sharings, stage the share of {@code epoch} (the new epoch).
   *
   * @param commitments every participant → its commitment (hex)
   * @param sealed every other participant → its zero share sealed to the receiving node
   */
  public record RefreshPart2Request(
      UUID operationId,
      UUID walletId,
      long epoch,
      Map<String, String> commitments,
      Map<String, String> sealed) {
    public static final String TYPE = "refresh.part2.v1";

    public RefreshPart2Request {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      commitments = Map.copyOf(Objects.requireNonNull(commitments, "commitments"));
      sealed = Map.copyOf(Objects.requireNonNull(sealed, "sealed"));
    }
  }

  /**
   * {@code refresh.part2.reply.v1}: the new public key package (hex) and the node's signed
   * acknowledgement of it (base64), which it gives only once its new share is staged durably.
   */
  public record RefreshPart2Response(
      UUID operationId, String nodeId, long epoch, String publicKeyPackage, String ack) {
    public static final String TYPE = "refresh.part2.reply.v1";

    public RefreshPart2Response {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(nodeId, "node_id");
      Objects.requireNonNull(publicKeyPackage, "public_key_package");
      Objects.requireNonNull(ack, "ack");
    }
  }

  /** Make epoch {@code epoch} current: every participant's acknowledgement of the same package. */
  public record RefreshCommitRequest(
      UUID operationId,
      UUID walletId,
      long epoch,
      String publicKeyPackage,
      Map<String, String> acks) {
    public static final String TYPE = "refresh.commit.v1";

    public RefreshCommitRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      Objects.requireNonNull(publicKeyPackage, "public_key_package");
      acks = Map.copyOf(Objects.requireNonNull(acks, "acks"));
    }
  }

  /** Discard the share staged for {@code epoch}. */
  public record RefreshAbortRequest(UUID operationId, UUID walletId, long epoch) {
    public static final String TYPE = "refresh.abort.v1";

    public RefreshAbortRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
    }
  }

  /** {@code lifecycle.done.reply.v1}: the wallet's current epoch on this node after the step. */
  public record EpochResponse(UUID operationId, String nodeId, long epoch) {
    public static final String TYPE = "lifecycle.done.reply.v1";

    public EpochResponse {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(nodeId, "node_id");
    }
  }

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
      java.util.List<String> helpers,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "repair.part1.v1";

    public RepairPart1Request {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      Objects.requireNonNull(lost, "lost");
      helpers = java.util.List.copyOf(Objects.requireNonNull(helpers, "helpers"));
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
      java.util.List<String> participants,
      int threshold,
      String publicKeyPackage,
      String groupPublicKey,
      Map<String, String> sums) {
    public static final String TYPE = "repair.recover.v1";

    public RepairRecoverRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = java.util.List.copyOf(Objects.requireNonNull(participants, "participants"));
      Objects.requireNonNull(publicKeyPackage, "public_key_package");
      Objects.requireNonNull(groupPublicKey, "group_public_key");
      sums = Map.copyOf(Objects.requireNonNull(sums, "sums"));
    }
  }

  /**
   * Reshare, step 1 at each dealer (a quorum of t current participants): deal its Lagrange-weighted
   * share to the new set with the new threshold, one sub-share sealed to each receiver.
   *
   * @param epoch the wallet's current epoch; the reshare commits {@code epoch + 1}
   * @param threshold the new threshold
   * @param participants the new set, in identifier order
   * @param dealers the quorum: exactly t current participants, this one among them
   * @param votes node → its signed vote; ≥ t approvals of this reshare (its subject) are required
   */
  public record ReshareDealRequest(
      UUID operationId,
      UUID walletId,
      long epoch,
      int threshold,
      java.util.List<String> participants,
      java.util.List<String> dealers,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "reshare.deal.v1";

    public ReshareDealRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = java.util.List.copyOf(Objects.requireNonNull(participants, "participants"));
      dealers = java.util.List.copyOf(Objects.requireNonNull(dealers, "dealers"));
      votes = Map.copyOf(Objects.requireNonNull(votes, "votes"));
    }
  }

  /**
   * {@code reshare.deal.reply.v1}.
   *
   * @param commitment hex of the dealer's {@code ReshareCommitment}
   * @param sealed receiver → its sub-share, sealed to it (base64), bound to this reshare
   */
  public record ReshareDealResponse(
      UUID operationId, String nodeId, String commitment, Map<String, String> sealed) {
    public static final String TYPE = "reshare.deal.reply.v1";

    public ReshareDealResponse {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(nodeId, "node_id");
      Objects.requireNonNull(commitment, "commitment");
      sealed = Map.copyOf(Objects.requireNonNull(sealed, "sealed"));
    }
  }

  /**
   * Reshare, step 2 at each receiver (the new set, which may hold no share of the wallet yet):
   * check every sub-share and stage the share of {@code epoch}; answered with a {@link
   * RefreshPart2Response} (the new public key package and the signed acknowledgement).
   *
   * @param epoch the new epoch
   * @param oldParticipants the current set, in identifier order (the dealers' identifiers)
   * @param oldPublicKeyPackage hex of the current public key package (every dealer seals to it)
   * @param groupPublicKey hex of the untweaked group key (every dealer seals to it)
   * @param commitments dealer → its commitment (hex)
   * @param sealed every dealer other than the receiver → its sub-share sealed to the receiver
   */
  public record ReshareReceiveRequest(
      UUID operationId,
      UUID walletId,
      long epoch,
      int threshold,
      java.util.List<String> participants,
      java.util.List<String> dealers,
      java.util.List<String> oldParticipants,
      String oldPublicKeyPackage,
      String groupPublicKey,
      Map<String, String> commitments,
      Map<String, String> sealed,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "reshare.receive.v1";

    public ReshareReceiveRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = java.util.List.copyOf(Objects.requireNonNull(participants, "participants"));
      dealers = java.util.List.copyOf(Objects.requireNonNull(dealers, "dealers"));
      oldParticipants =
          java.util.List.copyOf(Objects.requireNonNull(oldParticipants, "old_participants"));
      Objects.requireNonNull(oldPublicKeyPackage, "old_public_key_package");
      Objects.requireNonNull(groupPublicKey, "group_public_key");
      commitments = Map.copyOf(Objects.requireNonNull(commitments, "commitments"));
      sealed = Map.copyOf(Objects.requireNonNull(sealed, "sealed"));
      votes = Map.copyOf(Objects.requireNonNull(votes, "votes"));
    }
  }

  /**
   * Reshare, commit at every node of the old and the new set: a node of the new set makes its
   * staged share current; a node only of the old set erases its share. Both need every new
   * participant's acknowledgement of the same package; a leaving node also checks the approvals.
   */
  public record ReshareCommitRequest(
      UUID operationId,
      UUID walletId,
      long epoch,
      int threshold,
      java.util.List<String> participants,
      String publicKeyPackage,
      Map<String, String> acks,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "reshare.commit.v1";

    public ReshareCommitRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = java.util.List.copyOf(Objects.requireNonNull(participants, "participants"));
      Objects.requireNonNull(publicKeyPackage, "public_key_package");
      acks = Map.copyOf(Objects.requireNonNull(acks, "acks"));
      votes = Map.copyOf(Objects.requireNonNull(votes, "votes"));
    }
  }

  /** Discard what a reshare staged for {@code epoch} (also on a node that holds no share yet). */
  public record ReshareAbortRequest(UUID operationId, UUID walletId, long epoch) {
    public static final String TYPE = "reshare.abort.v1";

    public ReshareAbortRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
    }
  }
}
