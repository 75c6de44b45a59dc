package io.mpcw.protocol.signing;

import java.util.Objects;
import java.util.UUID;

/**
 * {@code sign.precommit.v1}: {@code count} fresh commitments of this node for the wallet's key
 * epoch, for no payment yet; a coordinator keeps them so that a signing session needs only round 2.
 * The nonces stay in the node's memory only (a restart voids them), bounded per wallet.
 */
public record SignPrecommitRequest(UUID walletId, long epoch, int count) {
  public static final String TYPE = "sign.precommit.v1";
  public static final int MAX_COUNT = SignCommitRequest.MAX_INPUTS;

  public SignPrecommitRequest {
    Objects.requireNonNull(walletId, "wallet_id");
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative");
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT);
    }
  }
}
