package io.mpcw.protocol.signing;

import static io.mpcw.protocol.signing.EtcdSigningLock.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.VoteSnapshot;
import io.mpcw.votes.VoteSnapshotRead;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A signer's round 2 against etcd in two round trips where the single checks take four: the same
 * keys, compares and refusals as {@link EtcdApprovalCheck}, {@link EtcdSigningLock} and {@link
 * EtcdSigningSessions}, merged.
 *
 * <ol>
 *   <li><b>One read</b>: the participants' vote keys, the decision key and every participant's lock
 *       key in one transaction of gets (one revision). The approval is counted on it ({@link
 *       ApprovalQuorum}, exactly as strict as alone) and a lock naming another txid is refused (the
 *       lock's refusal and message).
 *   <li><b>One write</b>, once the shares are computed in memory: If (every participant's lock as
 *       read — present ones equal to this txid, absent ones create revision 0; this node's share
 *       key create revision 0; the session's abort key create revision 0) Then (put this node's
 *       lock if it was absent; put the signed share record) Else (get the abort key, this node's
 *       share key and every lock). From the Else answers, read at the revision where the compare
 *       failed: aborted → {@code SESSION_ABORTED}; shares there → {@code SHARE_ALREADY_RECORDED}; a
 *       lock naming another txid → {@code CONFLICTING_TRANSACTION}; otherwise a lock of this txid
 *       appeared meanwhile and the write is tried again on what the Else read. Each such try
 *       follows a new lock, so after {@code participants + 1} tries it gives up ({@code
 *       ETCD_UNAVAILABLE}), as the lock alone does.
 * </ol>
 *
 * <p><b>Why computing the shares before the lock is written is safe.</b> The shares leave the node
 * only when {@link Read#record} returns, that is when this one atomic transaction found every
 * participant's lock absent or naming this txid, wrote (or found) this node's lock and wrote the
 * share record. A failed transaction writes nothing and the shares are dropped; the nonces were
 * taken out of memory before any check, so they are burnt, as by any refusal. Shares that never
 * leave the node reveal nothing. The node's own journal is written before any share is computed, as
 * before, so a restart cannot forget what might have been released. One consequence: when another
 * participant locks another txid between the read and the write, this node's journal already names
 * this txid, so it will refuse the other transaction too; that only makes it stricter.
 *
 * <p><b>Why two txids are still never both locked</b>: the lock write compares every participant's
 * lock exactly as {@link EtcdSigningLock} does, so its proof covers both writers. And the share
 * record's compares (share key and abort key absent) are those of {@link EtcdSigningSessions}: a
 * session is complete or aborted, never both ({@link EtcdSigningSessions#abortUnlessComplete} needs
 * no change).
 */
public final class EtcdRoundTwo implements RoundTwoRecords {
  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;
  private final ApprovalQuorum quorum;
  private final IdentityCredentials self;
  private final Supplier<? extends Collection<String>> clusterNodes;

  /**
   * Counting only the approvals of the wallet's participants.
   *
   * @param self this node's identity: it signs the share records, and its name is the node id
   */
  public EtcdRoundTwo(
      KV kv, EtcdKeys keys, Duration callTimeout, ApprovalQuorum quorum, IdentityCredentials self) {
    this(kv, keys, callTimeout, quorum, self, List::of);
  }

  /**
   * @param clusterNodes the cluster's nodes as this node knows them now: the quorum is of the
   *     cluster's nodes (t of n vote on every payment), not of the wallet's participants, which
   *     after a reshare may be fewer; their votes are read besides the participants'. Each counts
   *     only if it passes {@link ApprovalQuorum}'s checks (a node id, a certificate the cluster CA
   *     issued to that node, an approval of this payment's digest).
   */
  public EtcdRoundTwo(
      KV kv,
      EtcdKeys keys,
      Duration callTimeout,
      ApprovalQuorum quorum,
      IdentityCredentials self,
      Supplier<? extends Collection<String>> clusterNodes) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.quorum = Objects.requireNonNull(quorum, "quorum");
    this.self = Objects.requireNonNull(self, "self");
    this.clusterNodes = Objects.requireNonNull(clusterNodes, "clusterNodes");
  }

  /** Whose votes are read: the participants and every cluster node with a usable id. */
  private Collection<String> voters(Collection<String> participants) {
    Set<String> voters = new TreeSet<>(participants);
    clusterNodes.get().stream().filter(EtcdKeys::isNodeId).forEach(voters::add);
    return voters;
  }

  @Override
  public Read read(UUID txId, String nodeId, Collection<String> participants) {
    if (!self.name().equals(nodeId)) {
      throw new IllegalArgumentException(self.name() + " cannot sign round 2 as " + nodeId);
    }
    VoteSnapshotRead votes = new VoteSnapshotRead(keys, txId, voters(participants));
    List<String> nodes = EtcdSigningLock.lockOrder(nodeId, participants);
    List<Op> gets = new ArrayList<>(votes.gets());
    gets.addAll(List.of(EtcdSigningLock.gets(keys, txId, nodes)));
    TxnResponse response = call(kv.txn().Then(gets.toArray(Op[]::new)).commit());
    List<GetResponse> answers = response.getGetResponses();
    VoteSnapshot snapshot =
        votes.parse(answers.subList(0, votes.size()), response.getHeader().getRevision());
    List<Optional<String>> locks =
        EtcdSigningLock.values(answers.subList(votes.size(), answers.size()));
    return new EtcdRead(txId, nodes, snapshot, locks);
  }

  /** One round 2: what the read found, and the txid claimed. */
  private final class EtcdRead implements Read {
    private final UUID txId;
    private final List<String> nodes;
    private final VoteSnapshot votes;
    private final List<Optional<String>> locks;
    private String txid;

    EtcdRead(UUID txId, List<String> nodes, VoteSnapshot votes, List<Optional<String>> locks) {
      this.txId = txId;
      this.nodes = nodes;
      this.votes = votes;
      this.locks = locks;
    }

    @Override
    public void requireApproved(UUID walletId, String recipient, long amountSats) {
      quorum.requireApproved(votes, txId, walletId, recipient, amountSats);
    }

    @Override
    public void claim(String claimed) {
      EtcdSigningLock.refuseConflict(txId, claimed, nodes, locks);
      this.txid = claimed;
    }

    @Override
    public void record(long epoch, SignShareResponse shares) {
      if (txid == null) {
        throw new IllegalStateException("record before claim");
      }
      ShareRecord signed = ShareRecord.sign(self, txId, epoch, shares);
      ByteSequence share = bytes(keys.signingShare(txId, shares.sessionId(), shares.nodeId()));
      ByteSequence aborted = bytes(keys.signingAborted(txId, shares.sessionId()));
      ByteSequence ownLock = bytes(keys.signingLock(txId, nodes.get(0)));
      List<Op> elseGets = new ArrayList<>();
      elseGets.add(Op.get(aborted, GetOption.DEFAULT));
      elseGets.add(Op.get(share, GetOption.DEFAULT));
      elseGets.addAll(List.of(EtcdSigningLock.gets(keys, txId, nodes)));
      List<Optional<String>> asRead = locks;
      // each lost compare that is neither an abort, nor the shares, nor a conflict means one more
      // lock of this txid appeared; there are at most nodes.size() of them
      for (int attempt = 0; attempt <= nodes.size(); attempt++) {
        List<Cmp> compares = EtcdSigningLock.unchanged(keys, txId, txid, nodes, asRead);
        compares.add(new Cmp(share, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
        compares.add(new Cmp(aborted, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
        List<Op> puts = new ArrayList<>();
        if (asRead.get(0).isEmpty()) {
          puts.add(Op.put(ownLock, bytes(txid), PutOption.DEFAULT));
        }
        puts.add(Op.put(share, ByteSequence.from(signed.encode()), PutOption.DEFAULT));
        TxnResponse response =
            call(
                kv.txn()
                    .If(compares.toArray(Cmp[]::new))
                    .Then(puts.toArray(Op[]::new))
                    .Else(elseGets.toArray(Op[]::new))
                    .commit());
        if (response.isSucceeded()) {
          return;
        }
        // Else ran at the revision where the compare failed
        List<GetResponse> answers = response.getGetResponses();
        if (!answers.get(0).getKvs().isEmpty()) {
          throw EtcdSigningSessions.aborted(txId, shares.sessionId());
        }
        if (!answers.get(1).getKvs().isEmpty()) {
          throw EtcdSigningSessions.alreadyRecorded(shares);
        }
        asRead = EtcdSigningLock.values(answers.subList(2, answers.size()));
        EtcdSigningLock.refuseConflict(txId, txid, nodes, asRead);
      }
      throw EtcdSigningLock.keepChanging(txId);
    }
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdCalls.await(future, callTimeout);
  }
}
