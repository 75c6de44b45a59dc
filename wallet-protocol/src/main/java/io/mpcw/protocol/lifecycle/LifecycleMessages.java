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
 *
 * <p>A repair's messages are in {@link RepairMessages}, a reshare's in {@link ReshareMessages};
 * both end with {@link EpochResponse}, and a reshare's receivers answer with {@link
 * RefreshPart2Response}.
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
}
