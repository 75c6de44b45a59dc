package io.mpcw.protocol.signing;

import java.util.Objects;
import java.util.UUID;

/**
 * Round 1, {@code sign.commit.v1}: make fresh nonces for one signing attempt, one pair per input.
 * The nonces live only in this node's memory, keyed by {@code sessionId}, until round 2 uses them
 * once or they expire.
 *
 * @param epoch the wallet's key epoch the attempt signs in; a node that does not hold that epoch's
 *     share as its current one refuses ({@code WRONG_EPOCH})
 */
public record SignCommitRequest(UUID sessionId, UUID txId, UUID walletId, int inputs, long epoch) {
  public static final String TYPE = "sign.commit.v1";
  public static final int MAX_INPUTS = 500;

  /** A request in epoch 0, the key epoch of a wallet fresh from its DKG. */
  public SignCommitRequest(UUID sessionId, UUID txId, UUID walletId, int inputs) {
    this(sessionId, txId, walletId, inputs, 0);
  }

  public SignCommitRequest {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(txId, "tx_id");
    Objects.requireNonNull(walletId, "wallet_id");
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative");
    }
    if (inputs < 1 || inputs > MAX_INPUTS) {
      throw new IllegalArgumentException("inputs must be between 1 and " + MAX_INPUTS);
    }
  }
}
