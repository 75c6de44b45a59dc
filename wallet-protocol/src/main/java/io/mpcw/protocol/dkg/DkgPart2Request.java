package io.mpcw.protocol.dkg;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code dkg.part2.v1}: every participant's round-1 package (node id → hex), the receiver's own
 * included so it can check the coordinator relayed it unchanged.
 */
public record DkgPart2Request(UUID walletId, Map<String, String> round1Packages) {
  public static final String TYPE = "dkg.part2.v1";

  public DkgPart2Request {
    Objects.requireNonNull(walletId, "wallet_id");
    round1Packages = Map.copyOf(Objects.requireNonNull(round1Packages, "round1_packages"));
  }
}
