package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What a repair's seals are bound to: a piece to its operation, epoch and lost participant; a sum
 * also to the wallet's public keys as its helper holds them, so the lost participant sees that
 * every helper vouches for the same keys.
 */
final class RepairBindings {
  private static final byte[] PIECE_DOMAIN =
      "mpcw/repair-piece/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUM_DOMAIN = "mpcw/repair-sum/v1".getBytes(StandardCharsets.US_ASCII);

  private RepairBindings() {}

  static byte[] piece(UUID operationId, long epoch, String lost) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PIECE_DOMAIN);
    out.writeBytes(LifecycleTranscript.uuid(operationId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    LifecycleTranscript.field(out, lost);
    return Sha256.of(out.toByteArray());
  }

  static byte[] sum(UUID operationId, long epoch, byte[] publicKeys, byte[] groupKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SUM_DOMAIN);
    out.writeBytes(LifecycleTranscript.uuid(operationId));
    out.writeBytes(ByteBuffer.allocate(8).putLong(epoch).array());
    out.writeBytes(Sha256.of(publicKeys));
    out.writeBytes(Sha256.of(groupKey));
    return Sha256.of(out.toByteArray());
  }
}
