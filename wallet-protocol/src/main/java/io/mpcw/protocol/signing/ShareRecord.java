package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolMessages;
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
 * A signer's round-2 shares as recorded in etcd under {@code shares/{node_id}}, signed by that
 * node's cluster identity key (as votes are). etcd lets any client write any key, so a Byzantine
 * node could pre-create a record under an honest node's key; the coordinator checks the signature
 * against the named node's certificate before it uses, or blames anyone for, a record.
 *
 * @param txId the payment the session signs
 * @param epoch the wallet's key epoch the shares were made with (signed with the rest)
 * @param shares the node's reply: session, node id and one share per input
 * @param signature base64 ECDSA over {@link #signingPayload()}
 */
public record ShareRecord(UUID txId, long epoch, SignShareResponse shares, String signature) {
  private static final byte[] DOMAIN = "mpcw/share-record/v2".getBytes(StandardCharsets.US_ASCII);

  public ShareRecord {
    Objects.requireNonNull(txId, "tx_id");
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(signature, "signature");
  }

  /** The record of {@code shares}, signed by {@code node} (whose CN must be the shares' node). */
  public static ShareRecord sign(
      IdentityCredentials node, UUID txId, long epoch, SignShareResponse shares) {
    if (!node.name().equals(shares.nodeId())) {
      throw new IllegalArgumentException(
          node.name() + " cannot sign the share record of " + shares.nodeId());
    }
    byte[] signature = RecordSignatures.sign(node, payload(txId, epoch, shares));
    return new ShareRecord(txId, epoch, shares, Base64.getEncoder().encodeToString(signature));
  }

  /** Reads a record as etcd holds it; {@link IllegalArgumentException} when it is not one. */
  public static ShareRecord decode(byte[] json) {
    return ProtocolMessages.decode(json, ShareRecord.class);
  }

  public byte[] encode() {
    return ProtocolMessages.encode(this);
  }

  /**
   * Whether {@code nodeId} wrote this record: it names that node, and its signature verifies under
   * {@code certificate} (which the caller has checked is that node's, issued by the cluster CA).
   */
  public boolean writtenBy(String nodeId, X509Certificate certificate) {
    if (!shares.nodeId().equals(nodeId)) {
      return false;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return raw.length > 0 && RecordSignatures.verify(certificate, signingPayload(), raw);
  }

  public byte[] signingPayload() {
    return payload(txId, epoch, shares);
  }

  private static byte[] payload(UUID txId, long epoch, SignShareResponse shares) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN);
    out.writeBytes(uuid(txId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    out.writeBytes(uuid(shares.sessionId()));
    field(out, shares.nodeId());
    out.writeBytes(ByteBuffer.allocate(4).putInt(shares.shares().size()).array());
    shares.shares().forEach(share -> field(out, share));
    return out.toByteArray();
  }

  private static byte[] uuid(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }
}
