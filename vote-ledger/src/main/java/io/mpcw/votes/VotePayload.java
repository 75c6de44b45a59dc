package io.mpcw.votes;

import io.mpcw.crypto.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

/**
 * What a vote is about: the payment as the node saw it. Its {@link #digest(Decision)} is SHA-256
 * over a canonical, length-prefixed encoding, so nodes that saw different payloads (or decided
 * differently) vote for different digests.
 */
public record VotePayload(UUID txId, UUID walletId, String recipient, long amountSats) {
  private static final byte[] DOMAIN = "mpcw/vote-digest/v1".getBytes(StandardCharsets.US_ASCII);

  public VotePayload {
    if (txId == null || walletId == null || recipient == null) {
      throw new IllegalArgumentException("tx_id, wallet_id and recipient are required");
    }
  }

  /** Lowercase hex SHA-256 of (tx_id, wallet_id, recipient, amount_sats, decision). */
  public String digest(Decision decision) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN);
    out.writeBytes(uuid(txId));
    out.writeBytes(uuid(walletId));
    byte[] recipientBytes = recipient.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(recipientBytes.length).array());
    out.writeBytes(recipientBytes);
    out.writeBytes(ByteBuffer.allocate(8).putLong(amountSats).array());
    out.write(decision.code());
    return HexFormat.of().formatHex(Sha256.of(out.toByteArray()));
  }

  static byte[] uuid(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }
}
