package io.mpcw.protocol.signing;

import java.util.Collection;
import java.util.UUID;

/**
 * The node's own check that a quorum approved this exact payment: enough validly signed approve
 * records for its digest in etcd ({@code EtcdApprovalCheck}). Never the orchestrator's word.
 */
public interface ApprovalCheck {
  /**
   * @param voters the nodes whose votes are read (each node's vote lives under its own prefix)
   * @throws io.mpcw.protocol.ProtocolException {@code NOT_APPROVED} with the count found, or {@code
   *     ETCD_UNAVAILABLE}
   */
  void requireApproved(
      UUID txId, UUID walletId, String recipient, long amountSats, Collection<String> voters);
}
