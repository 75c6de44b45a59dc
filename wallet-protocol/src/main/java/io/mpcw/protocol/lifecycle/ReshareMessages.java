package io.mpcw.protocol.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A reshare's QUIC messages (same envelope and codec as the refresh's, see {@link
 * LifecycleMessages}): after the vote, {@code reshare.deal.v1} at t current participants, {@code
 * reshare.receive.v1} at every node of the new set (answered with {@link
 * LifecycleMessages.RefreshPart2Response}), then {@code reshare.commit.v1} or {@code
 * reshare.abort.v1} at both sets (answered with {@link LifecycleMessages.EpochResponse}).
 */
public final class ReshareMessages {
  private ReshareMessages() {}

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
      List<String> participants,
      List<String> dealers,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "reshare.deal.v1";

    public ReshareDealRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
      dealers = List.copyOf(Objects.requireNonNull(dealers, "dealers"));
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
      List<String> participants,
      List<String> dealers,
      List<String> oldParticipants,
      String oldPublicKeyPackage,
      String groupPublicKey,
      Map<String, String> commitments,
      Map<String, String> sealed,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "reshare.receive.v1";

    public ReshareReceiveRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
      dealers = List.copyOf(Objects.requireNonNull(dealers, "dealers"));
      oldParticipants = List.copyOf(Objects.requireNonNull(oldParticipants, "old_participants"));
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
      List<String> participants,
      String publicKeyPackage,
      Map<String, String> acks,
      Map<String, LifecycleVote> votes) {
    public static final String TYPE = "reshare.commit.v1";

    public ReshareCommitRequest {
      Objects.requireNonNull(operationId, "operation_id");
      Objects.requireNonNull(walletId, "wallet_id");
      participants = List.copyOf(Objects.requireNonNull(participants, "participants"));
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
