package io.mpcw.protocol.signing;

import io.mpcw.crypto.frost.SigningNonces;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One signing attempt's nonces on this node, one per input, until round 2 or expiry. */
record SigningSession(
    UUID txId, UUID walletId, long epoch, List<SigningNonces> nonces, Instant expiry) {
  SigningSession {
    nonces = List.copyOf(nonces);
  }

  boolean expiredAt(Instant now) {
    return !now.isBefore(expiry);
  }

  /** Erases every nonce; safe to call more than once. */
  void close() {
    nonces.forEach(SigningNonces::close);
  }

  @Override
  public String toString() {
    return "SigningSession[tx=" + txId + ", wallet=" + walletId + ", inputs=" + nonces.size() + "]";
  }
}
