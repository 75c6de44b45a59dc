package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a signer's round 2 reads from and writes to the records the nodes share: the quorum's
 * approval, the payment → transaction lock, and the share record. One {@link #read} per round 2,
 * then its steps in this order: {@link Read#requireApproved}, {@link Read#claim} (after the node's
 * own journal agreed), {@link Read#record} (the shares, computed in memory, before they leave the
 * node). {@link EtcdRoundTwo} does it in two etcd round trips; {@link #separate} composes the
 * single checks ({@link ApprovalCheck}, {@link SigningLock}, {@link ShareRecorder}), each its own
 * round trips.
 */
public interface RoundTwoRecords {

  /**
   * Reads what the checks of one round 2 need.
   *
   * @param nodeId this node
   * @param participants the wallet's participants: the voters counted and the locks compared
   * @throws io.mpcw.protocol.ProtocolException {@code ETCD_UNAVAILABLE}
   */
  Read read(UUID txId, String nodeId, Collection<String> participants);

  /** One payment's round 2 of a batch: what {@link #readAll} reads for it. */
  record Reading(UUID txId, Collection<String> participants) {
    public Reading {
      Objects.requireNonNull(txId, "txId");
      participants = List.copyOf(participants);
    }
  }

  /**
   * {@link #read} for several payments of one batch ({@link EtcdRoundTwo}: in one etcd
   * transaction); the reads in the order of {@code readings}. Each is then used exactly as one from
   * {@link #read}.
   *
   * @throws io.mpcw.protocol.ProtocolException {@code ETCD_UNAVAILABLE}, for all of them
   */
  default List<Read> readAll(String nodeId, List<Reading> readings) {
    List<Read> reads = new ArrayList<>(readings.size());
    for (Reading reading : readings) {
      reads.add(read(reading.txId(), nodeId, reading.participants()));
    }
    return reads;
  }

  /** One payment's shares of a batch, to be recorded on its read (after its claim). */
  record Recording(Read read, long epoch, SignShareResponse shares) {
    public Recording {
      Objects.requireNonNull(read, "read");
      Objects.requireNonNull(shares, "shares");
    }
  }

  /**
   * {@link Read#record} for several payments of one batch ({@link EtcdRoundTwo}: in one etcd
   * transaction, each payment's write a nested transaction of its own, so each is recorded or
   * refused as if alone). Only the shares whose result is empty may leave the node.
   *
   * @return per recording in order, empty when recorded, else why not ({@code
   *     CONFLICTING_TRANSACTION}, {@code SESSION_ABORTED}, {@code SHARE_ALREADY_RECORDED} or {@code
   *     ETCD_UNAVAILABLE})
   */
  default List<Optional<ProtocolException>> recordAll(List<Recording> recordings) {
    List<Optional<ProtocolException>> results = new ArrayList<>(recordings.size());
    for (Recording recording : recordings) {
      try {
        recording.read().record(recording.epoch(), recording.shares());
        results.add(Optional.empty());
      } catch (ProtocolException refused) {
        results.add(Optional.of(refused));
      }
    }
    return results;
  }

  /** One round 2's checks and its one write, on what {@link #read} found. */
  interface Read {
    /**
     * @throws io.mpcw.protocol.ProtocolException {@code NOT_APPROVED} (with the count found) or
     *     {@code ETCD_UNAVAILABLE}
     */
    void requireApproved(UUID walletId, String recipient, long amountSats);

    /**
     * Refuses {@code txid} when a participant's lock names another transaction for the payment; the
     * lock itself may be written only by {@link #record}.
     *
     * @throws io.mpcw.protocol.ProtocolException {@code CONFLICTING_TRANSACTION} or {@code
     *     ETCD_UNAVAILABLE}
     */
    void claim(String txid);

    /**
     * {@link #claim(String)}, told the session's signers: their locks may appear while this node
     * computes its shares, all naming the same txid, and {@link #record} may then take them as they
     * come instead of trying again for each.
     */
    default void claim(String txid, Collection<String> signers) {
      claim(txid);
    }

    /**
     * Binds the payment to the claimed txid (unless a participant bound another meanwhile) and
     * records {@code shares} (this node's, made in key epoch {@code epoch}) unless the session was
     * aborted or they are recorded already. Only when it returns may the shares leave the node.
     *
     * @throws io.mpcw.protocol.ProtocolException {@code CONFLICTING_TRANSACTION}, {@code
     *     SESSION_ABORTED}, {@code SHARE_ALREADY_RECORDED} or {@code ETCD_UNAVAILABLE}
     */
    void record(long epoch, SignShareResponse shares);
  }

  /**
   * The single checks one after the other, as they were before they were merged: the approval read,
   * the lock's claim (read, then write) and the share record, each its own round trips.
   */
  static RoundTwoRecords separate(
      ApprovalCheck approvals, SigningLock lock, ShareRecorder recorder) {
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(lock, "lock");
    Objects.requireNonNull(recorder, "recorder");
    return (txId, nodeId, participants) ->
        new Read() {
          @Override
          public void requireApproved(UUID walletId, String recipient, long amountSats) {
            approvals.requireApproved(txId, walletId, recipient, amountSats, participants);
          }

          @Override
          public void claim(String txid) {
            lock.claim(txId, txid, nodeId, participants);
          }

          @Override
          public void record(long epoch, SignShareResponse shares) {
            recorder.record(txId, epoch, shares);
          }
        };
  }
}
