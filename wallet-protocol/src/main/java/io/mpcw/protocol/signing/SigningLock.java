package io.mpcw.protocol.signing;

import java.util.UUID;

/**
 * One payment, one transaction: the first signing share for a payment binds it (in etcd, shared by
 * all nodes) to the txid of the transaction signed; a later request to sign a different transaction
 * for the same payment is refused, so a coordinator cannot get one approval spent twice. Retries of
 * the same transaction (new signers, fresh nonces) pass.
 */
public interface SigningLock {
  /**
   * @throws io.mpcw.protocol.ProtocolException {@code CONFLICTING_TRANSACTION} or {@code
   *     ETCD_UNAVAILABLE}
   */
  void claim(UUID txId, String txid);
}
