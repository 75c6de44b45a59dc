package io.mpcw.protocol.signing;

import java.util.Collection;
import java.util.UUID;

/**
 * One payment, one transaction: before its first share for a payment, a node records (in etcd,
 * under its own prefix) the txid of the transaction it signs, and only if no other participant of
 * the wallet has recorded a different one; a later request to sign a different transaction for the
 * same payment is refused, so a coordinator cannot get one approval spent twice. Retries of the
 * same transaction (new signers, fresh nonces) pass.
 */
public interface SigningLock {
  /**
   * Records that {@code nodeId} signs {@code txid} for payment {@code txId}, unless it or one of
   * {@code participants} recorded another transaction for it.
   *
   * @param participants the wallet's participants (whether {@code nodeId} is among them or not)
   * @throws io.mpcw.protocol.ProtocolException {@code CONFLICTING_TRANSACTION} or {@code
   *     ETCD_UNAVAILABLE}
   */
  void claim(UUID txId, String txid, String nodeId, Collection<String> participants);
}
