package io.mpcw.protocol.dkg;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code dkg.part2.reply.v1}.
 *
 * @param echo hex SHA-256 of the canonical round-1 set this participant received ({@link
 *     DkgTranscript#round1Hash})
 * @param echoSignature base64 ECDSA signature by this node's cluster identity over {@link
 *     DkgTranscript#echoSigningPayload}
 * @param sealedShares recipient node id → base64 sealed round-2 share, readable only by the
 *     recipient ({@code SealedShare})
 */
public record DkgPart2Response(
    UUID walletId,
    String nodeId,
    String echo,
    String echoSignature,
    Map<String, String> sealedShares) {
  public static final String TYPE = "dkg.part2.reply.v1";

  public DkgPart2Response {
    Objects.requireNonNull(walletId, "wallet_id");
    Objects.requireNonNull(nodeId, "node_id");
    Objects.requireNonNull(echo, "echo");
    Objects.requireNonNull(echoSignature, "echo_signature");
    sealedShares = Map.copyOf(Objects.requireNonNull(sealedShares, "sealed_shares"));
  }
}
