package io.mpcw.votes;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * A node's signed vote as stored at {@code {prefix}/nodes/{node_id}/votes/{tx_id}}. The signature
 * covers {@link #signingPayload()}: every field but the signature, in a canonical encoding.
 */
public record VoteRecord(
    @JsonProperty("tx_id") UUID txId,
    @JsonProperty("node_id") String nodeId,
    @JsonProperty("decision") Decision decision,
    @JsonProperty("reason") String reason,
    @JsonProperty("digest") String digest,
    @JsonProperty("signed_at") Instant signedAt,
    @JsonProperty("signature") String signature) {
  private static final byte[] DOMAIN = "mpcw/vote-record/v1".getBytes(StandardCharsets.US_ASCII);

  public VoteRecord {
    if (txId == null || nodeId == null || decision == null || digest == null || signedAt == null) {
      throw new IllegalArgumentException(
          "a vote record needs tx_id, node_id, decision, digest, signed_at");
    }
    reason = reason == null ? "" : reason;
    signature = signature == null ? "" : signature;
  }

  /** The same vote, unsigned, ready for {@link #withSignature}. */
  public static VoteRecord unsigned(
      UUID txId, String nodeId, Decision decision, String reason, String digest, Instant signedAt) {
    return new VoteRecord(txId, nodeId, decision, reason, digest, signedAt, "");
  }

  public VoteRecord withSignature(byte[] signature) {
    return new VoteRecord(
        txId,
        nodeId,
        decision,
        reason,
        digest,
        signedAt,
        Base64.getEncoder().encodeToString(signature));
  }

  public Optional<byte[]> signatureBytes() {
    if (signature.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(signature));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The bytes the node signs: domain, then each field length-prefixed. */
  public byte[] signingPayload() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN);
    out.writeBytes(VotePayload.uuid(txId));
    field(out, nodeId);
    out.write(decision.code());
    field(out, reason);
    field(out, digest);
    out.writeBytes(
        ByteBuffer.allocate(12)
            .putLong(signedAt.getEpochSecond())
            .putInt(signedAt.getNano())
            .array());
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }
}
