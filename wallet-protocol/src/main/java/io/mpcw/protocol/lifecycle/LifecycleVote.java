package io.mpcw.protocol.lifecycle;

import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.RecordSignatures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * A participant's signed decision on one lifecycle operation (refresh, repair), by its own policy.
 * The other participants check ≥ t of these themselves before they deal anything: the orchestrator
 * cannot start an operation the participants did not approve.
 *
 * @param kind {@code refresh} or {@code repair}
 * @param epoch the wallet's key epoch the operation starts from
 * @param subject what the operation is about beyond the wallet: the participant to repair, or ""
 * @param decision {@code approve} or {@code reject}
 * @param signature base64 ECDSA by the node's identity key over every other field
 */
public record LifecycleVote(
    UUID operationId,
    UUID walletId,
    String nodeId,
    String kind,
    long epoch,
    String subject,
    String decision,
    String reason,
    String signature) {
  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";
  private static final byte[] DOMAIN = "mpcw/lifecycle-vote/v1".getBytes(StandardCharsets.US_ASCII);

  public LifecycleVote {
    Objects.requireNonNull(operationId, "operation_id");
    Objects.requireNonNull(walletId, "wallet_id");
    Objects.requireNonNull(nodeId, "node_id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(signature, "signature");
  }

  public static LifecycleVote sign(
      IdentityCredentials node,
      LifecycleMessages.VoteRequest request,
      String decision,
      String reason) {
    byte[] payload =
        payload(
            request.operationId(),
            request.walletId(),
            node.name(),
            request.kind(),
            request.epoch(),
            request.subject(),
            decision,
            reason);
    return new LifecycleVote(
        request.operationId(),
        request.walletId(),
        node.name(),
        request.kind(),
        request.epoch(),
        request.subject(),
        decision,
        reason,
        Base64.getEncoder().encodeToString(RecordSignatures.sign(node, payload)));
  }

  public boolean approves() {
    return APPROVE.equals(decision);
  }

  /** Whether this is {@code nodeId}'s valid vote (its signature under its certificate). */
  public boolean writtenBy(String node, X509Certificate certificate) {
    if (!nodeId.equals(node)) {
      return false;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] payload = payload(operationId, walletId, nodeId, kind, epoch, subject, decision, reason);
    return raw.length > 0 && RecordSignatures.verify(certificate, payload, raw);
  }

  private static byte[] payload(
      UUID operationId,
      UUID walletId,
      String nodeId,
      String kind,
      long epoch,
      String subject,
      String decision,
      String reason) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN);
    out.writeBytes(LifecycleTranscript.uuid(operationId));
    out.writeBytes(LifecycleTranscript.uuid(walletId));
    LifecycleTranscript.field(out, nodeId);
    LifecycleTranscript.field(out, kind);
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    LifecycleTranscript.field(out, subject);
    LifecycleTranscript.field(out, decision);
    LifecycleTranscript.field(out, reason);
    return out.toByteArray();
  }
}
