package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The node's own, durable memory of what it signed for each payment (payment id → txid and
 * sighashes), checked before every share and written before any share leaves the node. The etcd
 * signing lock ({@link SigningLock}) agrees the transaction among the nodes, but anyone who can
 * write etcd can delete it; this record is out of etcd's reach, so one approved payment never gets
 * a second, different transaction signed by this node.
 */
public interface SigningRecord {

  /** What this node signed for {@code txId}, if anything. */
  Optional<SignedTransaction> find(UUID txId);

  /**
   * Records that this node signs {@code signed} for {@code txId}; returns only once the record is
   * durable. Recording the same again changes nothing.
   *
   * @throws ProtocolException {@code CONFLICTING_TRANSACTION} when another transaction (or other
   *     sighashes) is recorded for the payment
   */
  void record(UUID txId, SignedTransaction signed);

  /**
   * Records several payments' transactions as {@link #record} would each, and returns once all
   * those recorded are durable. A durable record may write them all at once (one write and one sync
   * for the lot): a batch of round 2s then waits for one sync, not one per payment.
   *
   * @param signing one transaction per payment
   * @return the payments refused, each with the {@code CONFLICTING_TRANSACTION} that {@link
   *     #record} would have thrown for it; every other one is recorded
   * @throws RuntimeException when the record could not be made durable: none of them may be acted
   *     on
   */
  default Map<UUID, ProtocolException> recordAll(Map<UUID, SignedTransaction> signing) {
    Map<UUID, ProtocolException> refused = new LinkedHashMap<>();
    signing.forEach(
        (txId, transaction) -> {
          try {
            record(txId, transaction);
          } catch (ProtocolException e) {
            refused.put(txId, e);
          }
        });
    return refused;
  }

  /**
   * @throws ProtocolException {@code CONFLICTING_TRANSACTION} when this node signed something else
   *     for {@code txId}
   */
  default void requireNoOther(UUID txId, SignedTransaction signing) {
    Optional<SignedTransaction> earlier = find(txId);
    if (earlier.isPresent() && !earlier.get().equals(signing)) {
      throw conflict(txId, earlier.get(), signing);
    }
  }

  static ProtocolException conflict(UUID txId, SignedTransaction earlier, SignedTransaction now) {
    String what =
        earlier.txid().equals(now.txid())
            ? "transaction " + now.txid() + " with other spent outputs"
            : "transaction " + now.txid();
    return new ProtocolException(
        ProtocolErrors.CONFLICTING_TRANSACTION,
        "this node signed payment "
            + txId
            + " as transaction "
            + earlier.txid()
            + "; it signs no "
            + what);
  }
}
