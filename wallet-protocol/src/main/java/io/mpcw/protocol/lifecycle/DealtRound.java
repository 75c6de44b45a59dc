package io.mpcw.protocol.lifecycle;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.util.Arrays;
import java.util.UUID;

/**
 * What a dealer of a refresh or reshare keeps for the next round: the epoch it dealt for, its
 * commitment (to see that the orchestrator relayed it unchanged) and its own sub-share to itself.
 */
record DealtRound(UUID walletId, long newEpoch, byte[] commitment, Scalar own) {

  /** This round's state, if it is of the same wallet and epoch; else the session is unknown. */
  static DealtRound requireFor(
      DealtRound dealt, String kind, UUID operationId, UUID walletId, long epoch, String where) {
    if (dealt == null || !dealt.walletId().equals(walletId) || dealt.newEpoch() != epoch) {
      throw new ProtocolException(
          ProtocolErrors.UNKNOWN_LIFECYCLE_SESSION,
          "no "
              + kind
              + " "
              + operationId
              + " to epoch "
              + epoch
              + where
              + " (expired, restarted, or never dealt)");
    }
    return dealt;
  }

  /** The orchestrator must relay this node's own commitment byte for byte. */
  void requireRelayedUnchanged(byte[] relayed) {
    if (!Arrays.equals(relayed, commitment)) {
      throw LifecycleRefusals.malformed("this node's commitment was not relayed unchanged");
    }
  }

  @Override
  public String toString() {
    return "Dealt[wallet=" + walletId + ", epoch=" + newEpoch + "]";
  }
}
