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
import io.mpcw.protocol.ProtocolException;
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
import java.util.concurrent.atomic.LongAdder;
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
 *       read — present ones equal to this txid, absent ones create revision 0 — except the locks of
 *       the session's other signers that were absent; this node's share key create revision 0; the
 *       session's abort key create revision 0) Then (for each of those signers' locks, one level of
 *       nested transactions that goes on when it is absent or names this txid, and reads as the
 *       Else does otherwise; under them: put this node's lock if it was absent, put the signed
 *       share record) Else (get the abort key, this node's share key and every lock). The session's
 *       signers read at about the same time and write one after the other; compared as read, each
 *       write after the first lost to a lock of its own session and was tried again (2.15 tries
 *       more per payment at 10/s, docs/benchmarks.md, twenty-third round). From the Else answers,
 *       read at the revision where the compare failed (or from a level's): aborted → {@code
 *       SESSION_ABORTED}; shares there → {@code SHARE_ALREADY_RECORDED}; a lock naming another txid
 *       → {@code CONFLICTING_TRANSACTION}; otherwise a lock of this txid appeared meanwhile (a
 *       participant outside the session: another session's signer) and the write is tried again on
 *       what the Else read. Each such try follows a new lock, so after {@code participants + 1}
 *       tries it gives up ({@code ETCD_UNAVAILABLE}), as the lock alone does. The tree repeats the
 *       puts in each of its leaves, so a write awaits only as many locks as keep those copies
 *       within {@link #MAX_TREE_PUT_BYTES}, and a batch goes to etcd in requests of at most {@link
 *       #MAX_WRITE_REQUEST_BYTES}.
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
 * <p><b>Why two txids are still never both locked</b>: the puts run only on a path where every
 * participant's lock held "absent or naming this txid" at the write's revision (as read, or at a
 * level of the tree), which is exactly the compare {@link EtcdSigningLock}'s proof needs, so it
 * covers both writers. And the share record's compares (share key and abort key absent) are those
 * of {@link EtcdSigningSessions}: a session is complete or aborted, never both ({@link
 * EtcdSigningSessions#abortUnlessComplete} needs no change).
 */
public final class EtcdRoundTwo implements RoundTwoRecords {
  /**
   * The most gets in one transaction of {@link #readAll}: etcd's default {@code --max-txn-ops}
   * (128), which bounds the operations of a transaction's branch.
   */
  static final int MAX_GETS_PER_READ = 128;

  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;
  private final ApprovalQuorum quorum;
  private final IdentityCredentials self;
  private final Supplier<? extends Collection<String>> clusterNodes;

  /**
   * The most signers' locks one share write awaits in its tree of nested transactions (64 leaves):
   * a wallet of up to 7 signers. Further signers' locks are compared as read (a lock of theirs
   * appearing meanwhile costs a try).
   */
  static final int MAX_AWAITED_LOCKS = 6;

  /**
   * The most bytes of puts one share write's tree may hold: its puts are repeated in each of its
   * 2^k leaves, so a share record of many inputs (up to {@link SignCommitRequest#MAX_INPUTS}, ≈ 40
   * kB) awaits fewer locks, none when one copy alone is over half of it.
   */
  static final int MAX_TREE_PUT_BYTES = 64 * 1024;

  /**
   * The most bytes of share writes {@link #recordAll} sends in one etcd request, by its estimate;
   * more go in several. etcd refuses a request over {@code --max-request-bytes} (1.5 MiB by
   * default): {@link SignPooledShareBatchRequest#MAX_SESSIONS} records of the most inputs are ≈ 640
   * kB, each with a tree of four leaves they were 2.2 MB. A third of etcd's limit leaves room for a
   * member configured lower; a batch of the usual records (≈ 1 kB) is far below it.
   */
  static final int MAX_WRITE_REQUEST_BYTES = 512 * 1024;

  /** What one operation or compare of a request costs beyond its keys and value, at most. */
  private static final int OP_OVERHEAD_BYTES = 32;

  private final LongAdder firstWrites = new LongAdder();
  private final LongAdder writesAgain = new LongAdder();

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

  /**
   * Share writes, one per round 2 (in a batch or alone): the first transaction of each, whatever
   * its outcome.
   */
  public long shareWrites() {
    return firstWrites.sum();
  }

  /**
   * Share writes tried again because a lock of the same txid appeared between the read and the
   * write where the write compared it as read: a participant outside the session, or a signer of
   * the session beyond what the write's tree awaits. Each is one more etcd transaction, and a Raft
   * entry, that the payment's signers racing each other cost.
   */
  public long shareWritesAgain() {
    return writesAgain.sum();
  }

  /** Whose votes are read: the participants and every cluster node with a usable id. */
  private Collection<String> voters(Collection<String> participants) {
    Set<String> voters = new TreeSet<>(participants);
    clusterNodes.get().stream().filter(EtcdKeys::isNodeId).forEach(voters::add);
    return voters;
  }

  @Override
  public Read read(UUID txId, String nodeId, Collection<String> participants) {
    Reader reader = new Reader(txId, nodeId, participants);
    TxnResponse response = call(kv.txn().Then(reader.gets()).commit());
    return reader.parse(response.getGetResponses(), response.getHeader().getRevision());
  }

  /**
   * The reads of several payments in as few etcd transactions as etcd's operations per transaction
   * allow ({@link #MAX_GETS_PER_READ}): each transaction holds nothing but gets, every payment's
   * gets in one of them (so each payment's keys are read at one revision, as by {@link #read}).
   * Flat on purpose: etcd serves a transaction whose operations are all gets as a read (a read
   * index from the leader, nothing written), but one holding a nested transaction, even of gets
   * only, as a write: an entry in the Raft log, its fsync and its apply, for each batch of every
   * signer.
   */
  @Override
  public List<Read> readAll(String nodeId, List<Reading> readings) {
    List<Read> reads = new ArrayList<>(readings.size());
    List<Reader> chunk = new ArrayList<>();
    List<Op> gets = new ArrayList<>();
    for (Reading reading : readings) {
      Reader reader = new Reader(reading.txId(), nodeId, reading.participants());
      Op[] own = reader.gets();
      if (!chunk.isEmpty() && gets.size() + own.length > MAX_GETS_PER_READ) {
        reads.addAll(readFlat(chunk, gets));
        chunk.clear();
        gets.clear();
      }
      chunk.add(reader);
      gets.addAll(List.of(own));
    }
    if (!chunk.isEmpty()) {
      reads.addAll(readFlat(chunk, gets));
    }
    return reads;
  }

  /** One transaction of {@code gets}, the gets of {@code readers} one after the other. */
  private List<Read> readFlat(List<Reader> readers, List<Op> gets) {
    TxnResponse response = call(kv.txn().Then(gets.toArray(Op[]::new)).commit());
    List<GetResponse> answers = response.getGetResponses();
    if (answers.size() != gets.size()) {
      throw EtcdCalls.unavailable(
          "etcd answered " + answers.size() + " of " + gets.size() + " reads", null);
    }
    long revision = response.getHeader().getRevision();
    List<Read> reads = new ArrayList<>(readers.size());
    int from = 0;
    for (Reader reader : readers) {
      int to = from + reader.size();
      reads.add(reader.parse(answers.subList(from, to), revision));
      from = to;
    }
    return reads;
  }

  /**
   * One etcd transaction for all the writes, each payment's the nested transaction it would commit
   * alone (its own compares, puts and reads), so each is recorded or refused on its own. A write
   * that lost only because a lock of its own txid appeared meanwhile is tried again alone, as
   * {@link Read#record} would.
   */
  @Override
  public List<Optional<ProtocolException>> recordAll(List<Recording> recordings) {
    List<ShareWrite> writes = new ArrayList<>(recordings.size());
    firstWrites.add(recordings.size());
    for (Recording recording : recordings) {
      if (!(recording.read() instanceof EtcdRead read)) {
        throw new IllegalArgumentException("not a read of this etcd round 2");
      }
      writes.add(read.write(recording.epoch(), recording.shares()));
    }
    List<Optional<ProtocolException>> results = new ArrayList<>(writes.size());
    List<ShareWrite> chunk = new ArrayList<>();
    long chunkBytes = 0;
    for (ShareWrite write : writes) {
      long bytes = write.estimatedBytes();
      if (!chunk.isEmpty() && chunkBytes + bytes > MAX_WRITE_REQUEST_BYTES) {
        results.addAll(recordTogether(chunk));
        chunk.clear();
        chunkBytes = 0;
      }
      chunk.add(write);
      chunkBytes += bytes;
    }
    if (!chunk.isEmpty()) {
      results.addAll(recordTogether(chunk));
    }
    return results;
  }

  /** {@code writes} in one etcd transaction, each as its own nested transaction. */
  private List<Optional<ProtocolException>> recordTogether(List<ShareWrite> writes) {
    List<Optional<ProtocolException>> results = new ArrayList<>(writes.size());
    Op[] nested =
        writes.stream().map(w -> Op.txn(w.compares(), w.then(), w.elseGets())).toArray(Op[]::new);
    List<TxnResponse> each;
    try {
      each = call(kv.txn().Then(nested).commit()).getTxnResponses();
      if (each.size() != writes.size()) {
        throw EtcdCalls.unavailable(
            "etcd answered " + each.size() + " of " + writes.size() + " nested writes", null);
      }
    } catch (ProtocolException unavailable) {
      writes.forEach(w -> results.add(Optional.of(unavailable)));
      return results;
    }
    for (int i = 0; i < writes.size(); i++) {
      ShareWrite write = writes.get(i);
      try {
        if (!write.settled(each.get(i))) {
          write.untilSettled(1);
        }
        results.add(Optional.empty());
      } catch (ProtocolException refused) {
        results.add(Optional.of(refused));
      }
    }
    return results;
  }

  /** One payment's read: which keys, and what they held. */
  private final class Reader {
    private final UUID txId;
    private final VoteSnapshotRead votes;
    private final List<String> nodes;

    Reader(UUID txId, String nodeId, Collection<String> participants) {
      if (!self.name().equals(nodeId)) {
        throw new IllegalArgumentException(self.name() + " cannot sign round 2 as " + nodeId);
      }
      this.txId = txId;
      this.votes = new VoteSnapshotRead(keys, txId, voters(participants));
      this.nodes = EtcdSigningLock.lockOrder(nodeId, participants);
    }

    /** How many gets {@link #gets} makes. */
    int size() {
      return votes.size() + nodes.size();
    }

    /** The participants' vote keys, the decision key and every participant's lock. */
    Op[] gets() {
      List<Op> gets = new ArrayList<>(votes.gets());
      gets.addAll(List.of(EtcdSigningLock.gets(keys, txId, nodes)));
      return gets.toArray(Op[]::new);
    }

    EtcdRead parse(List<GetResponse> answers, long revision) {
      VoteSnapshot snapshot = votes.parse(answers.subList(0, votes.size()), revision);
      List<Optional<String>> locks =
          EtcdSigningLock.values(answers.subList(votes.size(), answers.size()));
      return new EtcdRead(txId, nodes, snapshot, locks);
    }
  }

  /** One round 2: what the read found, and the txid claimed. */
  private final class EtcdRead implements Read {
    private final UUID txId;
    private final List<String> nodes;
    private final VoteSnapshot votes;
    private final List<Optional<String>> locks;
    private String txid;
    private Set<String> signers = Set.of();

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
    public void claim(String claimed, Collection<String> sessionSigners) {
      claim(claimed);
      this.signers = Set.copyOf(sessionSigners);
    }

    @Override
    public void record(long epoch, SignShareResponse shares) {
      write(epoch, shares).untilSettled(0);
    }

    ShareWrite write(long epoch, SignShareResponse shares) {
      if (txid == null) {
        throw new IllegalStateException("record before claim");
      }
      return new ShareWrite(this, ShareRecord.sign(self, txId, epoch, shares), shares);
    }
  }

  /** The write of one round 2's shares, with the lock if this node's is not written yet. */
  private final class ShareWrite {
    private final EtcdRead read;
    private final SignShareResponse shares;
    private final ByteSequence record;
    private final ByteSequence share;
    private final ByteSequence aborted;
    private final ByteSequence ownLock;

    /** How many locks this write's tree may await, from the bytes of its puts. */
    private final int awaitable;

    /** The locks as last read, and the signers' among them this write awaits: set together. */
    private List<Optional<String>> asRead;

    private List<Integer> awaited;

    ShareWrite(EtcdRead read, ShareRecord signed, SignShareResponse shares) {
      this.read = read;
      this.shares = shares;
      this.record = ByteSequence.from(signed.encode());
      this.share = bytes(keys.signingShare(read.txId, shares.sessionId(), shares.nodeId()));
      this.aborted = bytes(keys.signingAborted(read.txId, shares.sessionId()));
      this.ownLock = bytes(keys.signingLock(read.txId, read.nodes.get(0)));
      this.awaitable = awaitable(putBytes());
      readAs(read.locks);
    }

    private void readAs(List<Optional<String>> locks) {
      this.asRead = locks;
      this.awaited = signersToAwait();
    }

    /**
     * The other signers of the session whose locks were absent when read: they are writing theirs
     * now, each "absent or naming this txid" in the write's tree ({@link #then}), not compared as
     * read.
     */
    private List<Integer> signersToAwait() {
      List<Integer> awaited = new ArrayList<>();
      for (int i = 1; i < read.nodes.size() && awaited.size() < awaitable; i++) {
        if (asRead.get(i).isEmpty() && read.signers.contains(read.nodes.get(i))) {
          awaited.add(i);
        }
      }
      return awaited;
    }

    Cmp[] compares() {
      List<Cmp> all = EtcdSigningLock.unchanged(keys, read.txId, read.txid, read.nodes, asRead);
      List<Cmp> compares = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (!awaited.contains(i)) {
          compares.add(all.get(i));
        }
      }
      compares.add(new Cmp(share, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
      compares.add(new Cmp(aborted, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
      return compares.toArray(Cmp[]::new);
    }

    /**
     * What runs when {@link #compares} hold: the puts, under one level of nested transactions per
     * awaited signer's lock. Each level takes its Then when that lock is absent and, in its Else, a
     * transaction that takes the same subtree when the lock names this txid, and otherwise reads
     * what {@link #elseGets} reads (a lock naming another txid: the conflict). So the puts run only
     * where every lock compared is absent or names this txid, which is what the lock proof needs
     * ({@link EtcdSigningLock}), whatever order the session's signers write in: no write loses to a
     * signer of its own session. etcd allows one key put in both branches of a transaction.
     */
    Op[] then() {
      Op[] below = puts();
      for (int j = awaited.size() - 1; j >= 0; j--) {
        ByteSequence lock = bytes(keys.signingLock(read.txId, read.nodes.get(awaited.get(j))));
        Op named =
            Op.txn(
                new Cmp[] {new Cmp(lock, Cmp.Op.EQUAL, CmpTarget.value(bytes(read.txid)))},
                below,
                elseGets());
        below =
            new Op[] {
              Op.txn(
                  new Cmp[] {new Cmp(lock, Cmp.Op.EQUAL, CmpTarget.createRevision(0))},
                  below,
                  new Op[] {named})
            };
      }
      return below;
    }

    /** The bytes of {@link #puts}, at most. */
    private long putBytes() {
      return 2L * OP_OVERHEAD_BYTES
          + ownLock.size()
          + read.txid.length()
          + share.size()
          + record.size();
    }

    /**
     * The bytes of the whole write, at most: a copy of the puts in each leaf of its tree, the Else
     * reads and a lock's two compares at each of its levels, and its own compares.
     */
    long estimatedBytes() {
      long leaves = 1L << awaited.size();
      long lockKey = ownLock.size() + OP_OVERHEAD_BYTES;
      long elseGets =
          aborted.size() + share.size() + 2L * OP_OVERHEAD_BYTES + read.nodes.size() * lockKey;
      long level = 2 * (lockKey + read.txid.length());
      long compares = (read.nodes.size() + 2L) * (lockKey + read.txid.length());
      return leaves * (putBytes() + elseGets + level) + compares;
    }

    Op[] puts() {
      List<Op> puts = new ArrayList<>();
      if (asRead.get(0).isEmpty()) {
        puts.add(Op.put(ownLock, bytes(read.txid), PutOption.DEFAULT));
      }
      puts.add(Op.put(share, record, PutOption.DEFAULT));
      return puts.toArray(Op[]::new);
    }

    Op[] elseGets() {
      List<Op> gets = new ArrayList<>();
      gets.add(Op.get(aborted, GetOption.DEFAULT));
      gets.add(Op.get(share, GetOption.DEFAULT));
      gets.addAll(List.of(EtcdSigningLock.gets(keys, read.txId, read.nodes)));
      return gets.toArray(Op[]::new);
    }

    /**
     * Whether the write is done, from its answer: true when its puts ran; refused when the session
     * was aborted, the shares are there already or a lock names another txid; false when only a
     * lock of this txid appeared meanwhile (the Else reads, at the revision where the compare
     * failed, are the new state to compare against).
     */
    boolean settled(TxnResponse answer) {
      if (!answer.isSucceeded()) {
        return settled(answer.getGetResponses());
      }
      TxnResponse level = answer;
      for (int j = awaited.size(); j > 0; j--) {
        TxnResponse lock = level.getTxnResponses().get(0);
        if (lock.isSucceeded()) {
          level = lock; // absent
          continue;
        }
        TxnResponse named = lock.getTxnResponses().get(0);
        if (!named.isSucceeded()) {
          return settled(named.getGetResponses()); // neither absent nor this txid
        }
        level = named;
      }
      return true;
    }

    private boolean settled(List<GetResponse> elseAnswers) {
      if (!elseAnswers.get(0).getKvs().isEmpty()) {
        throw EtcdSigningSessions.aborted(read.txId, shares.sessionId());
      }
      if (!elseAnswers.get(1).getKvs().isEmpty()) {
        throw EtcdSigningSessions.alreadyRecorded(shares);
      }
      readAs(EtcdSigningLock.values(elseAnswers.subList(2, elseAnswers.size())));
      EtcdSigningLock.refuseConflict(read.txId, read.txid, read.nodes, asRead);
      return false;
    }

    /**
     * Tries the write alone until settled. Each lost compare that is neither an abort, nor the
     * shares, nor a conflict means one more lock of this txid appeared; there are at most as many
     * as participants, so after {@code participants + 1} tries in all it gives up.
     */
    void untilSettled(int triedAlready) {
      for (int attempt = triedAlready; attempt <= read.nodes.size(); attempt++) {
        (attempt == 0 ? firstWrites : writesAgain).increment();
        if (settled(call(kv.txn().If(compares()).Then(then()).Else(elseGets()).commit()))) {
          return;
        }
      }
      throw EtcdSigningLock.keepChanging(read.txId);
    }
  }

  /**
   * How many signers' locks a write whose puts take {@code putBytes} may await: as many levels as
   * keep its leaves' copies within {@link #MAX_TREE_PUT_BYTES}, at most {@link #MAX_AWAITED_LOCKS}.
   */
  static int awaitable(long putBytes) {
    int levels = 0;
    while (levels < MAX_AWAITED_LOCKS && (putBytes << (levels + 1)) <= MAX_TREE_PUT_BYTES) {
      levels++;
    }
    return levels;
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdCalls.await(future, callTimeout);
  }
}
