package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Canonical byte strings the lifecycle protocol seals to and signs. */
public final class LifecycleTranscript {
  private static final byte[] SEAL_DOMAIN = ascii("mpcw/refresh-seal/v1");
  private static final byte[] ACK_DOMAIN = ascii("mpcw/refresh-ack/v1");
  private static final byte[] RESHARE_SEAL_DOMAIN = ascii("mpcw/reshare-seal/v1");

  private LifecycleTranscript() {}

  /**
   * What a sealed zero share is bound to: the operation, the epoch it creates and its dealer's
   * commitment, so a box cannot be replayed into another refresh, nor paired with another
   * commitment than the one it was dealt under.
   */
  public static byte[] sealBinding(UUID operationId, long newEpoch, byte[] commitment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SEAL_DOMAIN);
    out.writeBytes(uuid(operationId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(newEpoch).array());
    out.writeBytes(commitment);
    return Sha256.of(out.toByteArray());
  }

  /**
   * What a sealed reshare sub-share is bound to: the operation, the new epoch, the new threshold
   * and set (the subject), the quorum, and the wallet it comes from as the dealer holds it
   * (participants, public key package, group key), and the dealer's commitment. A receiver that
   * holds no share yet learns the old wallet from the orchestrator: every dealer vouching for it
   * with its seal is what lets it check the dealers' constant terms against the right verifying
   * shares.
   */
  public static byte[] reshareSealBinding(
      UUID operationId,
      long newEpoch,
      ReshareSubject subject,
      java.util.List<String> dealers,
      java.util.List<String> oldParticipants,
      byte[] oldPublicKeys,
      byte[] groupPublicKey,
      byte[] commitment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(RESHARE_SEAL_DOMAIN);
    out.writeBytes(uuid(operationId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(newEpoch).array());
    field(out, subject.encode());
    field(out, String.join(",", dealers));
    field(out, String.join(",", oldParticipants));
    out.writeBytes(Sha256.of(oldPublicKeys));
    out.writeBytes(Sha256.of(groupPublicKey));
    out.writeBytes(Sha256.of(commitment));
    return Sha256.of(out.toByteArray());
  }

  /**
   * What a participant signs once its share of {@code epoch} is staged: the wallet, the epoch, the
   * node and the SHA-256 of the public key package it computed. Equal acknowledgements from every
   * participant mean every one of them staged a share of that same package.
   */
  public static byte[] ackPayload(UUID walletId, long epoch, String nodeId, byte[] publicKeys) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ACK_DOMAIN);
    out.writeBytes(uuid(walletId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    field(out, nodeId);
    out.writeBytes(Sha256.of(publicKeys));
    return out.toByteArray();
  }

  static byte[] uuid(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  static void field(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
