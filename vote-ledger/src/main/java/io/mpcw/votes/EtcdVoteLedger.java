package io.mpcw.votes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mpcw.types.etcd.EtcdKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The vote ledger in etcd. Each node's vote lives under that node's own prefix ({@link
 * EtcdKeys#vote}), the decision under the orchestrator's ({@link EtcdKeys#decision}), so etcd's
 * access control can confine every identity to its own records. There is no shared counter: a vote
 * is ONE etcd transaction that creates the node's vote key only if it is absent and the decision
 * key is absent too. Votes of different nodes touch different keys, so they never conflict and each
 * takes one round trip; counts are computed from the records ({@link VoteSnapshot#counts()}), so
 * they are exact by construction: a node has one key, and a key is counted once. A vote created
 * after the decision is impossible, because the decision key's absence is compared in the very
 * transaction that creates it. Every etcd call has a timeout, because a call in flight when the
 * leader dies can hang.
 */
public final class EtcdVoteLedger {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The most votes one {@link #castAll} takes: each is one operation of the outer transaction, well
   * inside etcd's {@code --max-txn-ops} (128 by default).
   */
  public static final int MAX_BATCH = 32;

  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;
  private final Duration castDeadline;
  private final CoalescedTxns coalesced;

  public EtcdVoteLedger(KV kv, EtcdKeys keys, Duration callTimeout, Duration castDeadline) {
    this.kv = kv;
    // a replica decides many payments at once under load: their snapshots share a read, their
    // decisions a Raft entry, and a lone one goes alone, as before
    this.coalesced = new CoalescedTxns(kv, callTimeout);
    this.keys = keys;
    this.callTimeout = callTimeout;
    this.castDeadline = castDeadline;
  }

  /**
   * Records {@code vote} (already signed) unless the node voted already or the decision exists, in
   * one transaction. Only an unanswered attempt (timeout, leader change) leads to another one. When
   * such an attempt was applied but its answer lost, the retry finds this very record and reports
   * it {@link CastResult.Counted}, not as a duplicate.
   */
  public CastResult cast(VoteRecord vote) {
    ByteSequence voteKey = bytes(keys.vote(vote.txId(), vote.nodeId()));
    ByteSequence decisionKey = bytes(keys.decision(vote.txId()));
    ByteSequence value = bytes(write(vote));
    return untilAnswered(
        () ->
            kv.txn()
                .If(absent(voteKey), absent(decisionKey))
                .Then(Op.put(voteKey, value, PutOption.DEFAULT))
                .Else(Op.get(voteKey, GetOption.DEFAULT), Op.get(decisionKey, GetOption.DEFAULT))
                .commit(),
        (response, unanswered) ->
            outcome(vote, value, response.isSucceeded(), response.getGetResponses(), unanswered));
  }

  /**
   * {@link #cast} for several votes in ONE etcd transaction: each vote is its own nested
   * transaction with exactly the compares, put and reads of a single cast, so each is counted,
   * found a duplicate or found late on its own, as if cast alone; they share the round trip, the
   * Raft entry and the fsync. The votes must be on distinct keys (etcd refuses a transaction that
   * puts one key twice). At most {@link #MAX_BATCH}.
   *
   * @return the results in the order of {@code votes}
   * @throws IllegalArgumentException when two votes share a key or there are too many
   */
  public List<CastResult> castAll(List<VoteRecord> votes) {
    if (votes.isEmpty() || votes.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "a batch holds 1 to " + MAX_BATCH + " votes, not " + votes.size());
    }
    List<ByteSequence> values = new ArrayList<>(votes.size());
    List<Op> nested = new ArrayList<>(votes.size());
    Set<String> seen = new HashSet<>();
    for (VoteRecord vote : votes) {
      String key = keys.vote(vote.txId(), vote.nodeId());
      if (!seen.add(key)) {
        throw new IllegalArgumentException("two votes of " + vote.nodeId() + " on " + vote.txId());
      }
      ByteSequence voteKey = bytes(key);
      ByteSequence decisionKey = bytes(keys.decision(vote.txId()));
      ByteSequence value = bytes(write(vote));
      values.add(value);
      nested.add(
          Op.txn(
              new Cmp[] {absent(voteKey), absent(decisionKey)},
              new Op[] {Op.put(voteKey, value, PutOption.DEFAULT)},
              new Op[] {
                Op.get(voteKey, GetOption.DEFAULT), Op.get(decisionKey, GetOption.DEFAULT)
              }));
    }
    Op[] all = nested.toArray(Op[]::new);
    return untilAnswered(
        () -> kv.txn().Then(all).commit(),
        (response, unanswered) -> {
          List<TxnResponse> each = response.getTxnResponses();
          if (each.size() != votes.size()) {
            throw new IllegalStateException(
                "etcd answered " + each.size() + " of " + votes.size() + " nested transactions");
          }
          List<CastResult> results = new ArrayList<>(votes.size());
          for (int i = 0; i < votes.size(); i++) {
            TxnResponse one = each.get(i);
            results.add(
                outcome(
                    votes.get(i),
                    values.get(i),
                    one.isSucceeded(),
                    one.getGetResponses(),
                    unanswered));
          }
          return results;
        });
  }

  /**
   * Commits the transaction {@code txn} makes until etcd answers, up to the cast deadline, and
   * reads the answer, told whether an earlier attempt went unanswered (timeout, leader change):
   * such an attempt may have been applied, which the answer of the next one shows.
   */
  private <T> T untilAnswered(
      Supplier<CompletableFuture<TxnResponse>> txn, BiFunction<TxnResponse, Boolean, T> read) {
    Instant deadline = Instant.now().plus(castDeadline);
    boolean unanswered = false;
    for (int attempt = 0; ; attempt++) {
      TxnResponse response;
      try {
        response = call(txn.get());
      } catch (VoteLedgerException e) {
        unanswered = true;
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        backoff(attempt);
        continue;
      }
      return read.apply(response, unanswered);
    }
  }

  /**
   * What one cast's transaction did. Else ran at the revision where the compare failed: the vote
   * key or the decision exists.
   */
  private static CastResult outcome(
      VoteRecord vote,
      ByteSequence value,
      boolean succeeded,
      List<GetResponse> gets,
      boolean unanswered) {
    if (succeeded) {
      return new CastResult.Counted(vote);
    }
    if (gets.get(0).getCount() > 0) {
      KeyValue existing = gets.get(0).getKvs().get(0);
      if (unanswered && existing.getValue().equals(value)) {
        // our own earlier attempt was applied but its answer was lost: this call counted it
        return new CastResult.Counted(vote);
      }
      return new CastResult.Duplicate(read(existing));
    }
    if (gets.get(1).getCount() > 0) {
      return new CastResult.Late();
    }
    throw new IllegalStateException(
        "etcd refused the vote on " + vote.txId() + " but holds neither a vote nor a decision");
  }

  private static Cmp absent(ByteSequence key) {
    return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
  }

  /**
   * Writes the orchestrator's decision unless one exists; returns the decision that stands (the
   * first one written wins, so replicas racing to decide agree). Other decisions taken meanwhile
   * share its transaction, each a nested transaction of its own ({@link CoalescedTxns}).
   */
  public String decide(UUID txId, String decision) {
    ByteSequence key = bytes(keys.decision(txId));
    CoalescedTxns.Written written =
        call(
            coalesced.write(
                new Cmp[] {absent(key)},
                new Op[] {Op.put(key, bytes(decision), PutOption.DEFAULT)},
                new Op[] {Op.get(key, GetOption.DEFAULT)},
                Set.of(key)));
    if (written.succeeded()) {
      return decision;
    }
    return text(written.answers().get(0).getKvs().get(0).getValue());
  }

  /**
   * {@link #decide(UUID, String)}, taken on the records of {@code basis}: the decision is written
   * only if none exists AND every vote key {@code basis} saw still has the mod revision it had then
   * (a key deleted since compares as revision 0). A node may write, and so rewrite or delete, its
   * own records; this makes sure the decision is based on exactly the records that were counted,
   * whatever a node did with its key in between. Votes that arrived since are not compared: they
   * add to the records counted and take nothing from them.
   *
   * @return the decision that stands, or empty when a counted record changed (nothing was written:
   *     take a new snapshot and count again)
   */
  public Optional<String> decide(UUID txId, String decision, VoteSnapshot basis) {
    ByteSequence key = bytes(keys.decision(txId));
    List<Cmp> compares = new ArrayList<>();
    compares.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    basis
        .recordRevisions()
        .forEach(
            (node, revision) ->
                compares.add(
                    new Cmp(
                        bytes(keys.vote(txId, node)),
                        Cmp.Op.EQUAL,
                        CmpTarget.modRevision(revision))));
    CoalescedTxns.Written written =
        call(
            coalesced.write(
                compares.toArray(Cmp[]::new),
                new Op[] {Op.put(key, bytes(decision), PutOption.DEFAULT)},
                new Op[] {Op.get(key, GetOption.DEFAULT)},
                Set.of(key)));
    if (written.succeeded()) {
      return Optional.of(decision);
    }
    return written.answers().get(0).getKvs().stream().findFirst().map(kv -> text(kv.getValue()));
  }

  /**
   * The votes of {@code nodeIds} on one transaction and its decision, read in ONE etcd transaction
   * of gets (the votes live under n different prefixes; one transaction reads them all at one
   * revision), with the snapshots other callers take meanwhile ({@link CoalescedTxns}). etcd bounds
   * the operations of a transaction ({@code --max-txn-ops}, 128 by default), which bounds the nodes
   * of one snapshot.
   */
  public VoteSnapshot snapshot(UUID txId, Collection<String> nodeIds) {
    VoteSnapshotRead read = new VoteSnapshotRead(keys, txId, nodeIds);
    CoalescedTxns.Reads answered = call(coalesced.read(read.gets()));
    return read.parse(answered.answers(), answered.revision());
  }

  public static String write(VoteRecord vote) {
    try {
      return JSON.writeValueAsString(vote);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a vote record always serialises", e);
    }
  }

  public static VoteRecord parse(String json) {
    try {
      return JSON.readValue(json, VoteRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a vote record", e);
    }
  }

  private static VoteRecord read(KeyValue entry) {
    return parse(entry.getValue().toString(StandardCharsets.UTF_8));
  }

  private <T> T call(CompletableFuture<T> future) {
    return EtcdWait.await(future, callTimeout, VoteLedgerException::new);
  }

  private static String text(ByteSequence bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static ByteSequence bytes(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }

  private static void backoff(int attempt) {
    long max = Math.min(200, 2L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, max + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VoteLedgerException("interrupted during backoff", e);
    }
  }
}
