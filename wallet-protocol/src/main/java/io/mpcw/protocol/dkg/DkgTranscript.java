package io.mpcw.protocol.dkg;

import io.mpcw.crypto.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Canonical byte strings of the DKG echo broadcast. Each participant hashes the round-1 set it
 * received and signs that hash; if every signed hash is equal, nobody was shown a different set by
 * the coordinator (FROST's DKG needs a broadcast channel; this check provides one).
 */
public final class DkgTranscript {
  private static final byte[] ROUND1_DOMAIN = ascii("mpcw/dkg-round1/v1");
  private static final byte[] ECHO_DOMAIN = ascii("mpcw/dkg-echo/v1");

  private DkgTranscript() {}

  /**
   * SHA-256 over the domain, the wallet id and, for each participant in order, its node id and
   * round-1 package, each length-prefixed.
   *
   * @throws IllegalArgumentException when a participant's package is missing
   */
  public static byte[] round1Hash(
      UUID walletId, List<String> participants, Map<String, byte[]> round1Packages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ROUND1_DOMAIN);
    out.writeBytes(uuid(walletId));
    for (String node : participants) {
      byte[] pkg = round1Packages.get(node);
      if (pkg == null) {
        throw new IllegalArgumentException("no round-1 package from " + node);
      }
      writeNodeId(out, node);
      out.writeBytes(ByteBuffer.allocate(4).putInt(pkg.length).array());
      out.writeBytes(pkg);
    }
    return Sha256.of(out.toByteArray());
  }

  /** What a participant signs to vouch for its echo: domain, wallet id, its node id, the echo. */
  public static byte[] echoSigningPayload(UUID walletId, String nodeId, byte[] echo) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ECHO_DOMAIN);
    out.writeBytes(uuid(walletId));
    writeNodeId(out, nodeId);
    out.writeBytes(echo);
    return out.toByteArray();
  }

  static byte[] uuid(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  static void writeNodeId(ByteArrayOutputStream out, String nodeId) {
    byte[] bytes = nodeId.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xffff) {
      throw new IllegalArgumentException("node id too long");
    }
    out.writeBytes(ByteBuffer.allocate(2).putShort((short) bytes.length).array());
    out.writeBytes(bytes);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
