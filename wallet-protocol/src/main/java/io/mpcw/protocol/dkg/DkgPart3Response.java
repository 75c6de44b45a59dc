package io.mpcw.protocol.dkg;

import java.util.Objects;
import java.util.UUID;

/**
 * {@code dkg.part3.reply.v1}: the participant stored its share (encrypted at rest) and reports the
 * group's public keys. The coordinator accepts the wallet only if every participant reports the
 * same values.
 *
 * @param publicKeyPackage hex of {@code PublicKeyPackage.encode()} (Taproot-tweaked: its verifying
 *     key is the output key Q)
 * @param groupPublicKey hex compressed untweaked group key P (sum of the participants' constant
 *     commitments)
 * @param outputKey hex x-only Taproot output key Q (what the address commits to)
 */
public record DkgPart3Response(
    UUID walletId,
    String nodeId,
    String publicKeyPackage,
    String groupPublicKey,
    String outputKey) {
  public static final String TYPE = "dkg.part3.reply.v1";

  public DkgPart3Response {
    Objects.requireNonNull(walletId, "wallet_id");
    Objects.requireNonNull(nodeId, "node_id");
    Objects.requireNonNull(publicKeyPackage, "public_key_package");
    Objects.requireNonNull(groupPublicKey, "group_public_key");
    Objects.requireNonNull(outputKey, "output_key");
  }
}
