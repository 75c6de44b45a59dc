package io.mpcw.protocol.dkg;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code dkg.part3.v1}: every participant's signed echo (node id → echo), and the sealed round-2
 * shares addressed to the receiver (sender node id → base64 sealed share).
 */
public record DkgPart3Request(
    UUID walletId, Map<String, SignedEcho> echoes, Map<String, String> sealedShares) {
  public static final String TYPE = "dkg.part3.v1";

  public DkgPart3Request {
    Objects.requireNonNull(walletId, "wallet_id");
    echoes = Map.copyOf(Objects.requireNonNull(echoes, "echoes"));
    sealedShares = Map.copyOf(Objects.requireNonNull(sealedShares, "sealed_shares"));
  }
}
