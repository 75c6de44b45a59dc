package io.mpcw.votes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for one process's etcd transactions, one transaction in flight per kind: a read or a
 * write that comes while one of its kind is in flight waits, and whatever waited goes in the next
 * transaction together. So a lone call leaves at once, exactly as it would alone; batches form only
 * when calls come faster than etcd answers, and then share the round trip and, for writes, the Raft
 * entry and its fsync.
 *
 * <ul>
 *   <li><b>Reads</b> ({@link #read}): the gets of every waiting read, one after the other, in ONE
 *       flat transaction of gets, which etcd serves as a read (a read index from the leader, no
 *       Raft entry); each read gets its own answers and the revision they were all read at.
 *   <li><b>Writes</b> ({@link #write}): each waiting write is a nested transaction of one outer
 *       transaction, with exactly its own compares and branches, so each succeeds or fails on its
 *       own as if sent alone; they share one Raft entry. Two writes that put the same key never go
 *       together (etcd refuses such a transaction): the later one waits for the next.
 * </ul>
 *
 * <p>Each transaction in flight is bounded by the call timeout: one that etcd does not answer (a
 * call in flight when the leader dies can hang) fails its calls then, and the next goes. A call its
 * caller gave up on while it waited (its future cancelled) is not sent.
 */
public final class CoalescedTxns {
  /**
   * The most gets of one read transaction and the most writes nested in one: etcd's default {@code
   * --max-txn-ops} (128) bounds the operations of a transaction's branch.
   */
  public static final int MAX_OPS = 128;

  /** A read's answers, one per get in its order, read at etcd revision {@code revision}. */
  public record Reads(List<GetResponse> answers, long revision) {}

  /**
   * A write's outcome: whether its compares held, and the answers of the gets of the branch that
   * ran.
   */
  public record Written(boolean succeeded, List<GetResponse> answers) {}

  private final KV kv;
  private final Duration callTimeout;
  private final Lane<ReadPart, Reads> reads = new ReadLane();
  private final Lane<WritePart, Written> writes = new WriteLane();

  public CoalescedTxns(KV kv, Duration callTimeout) {
    this.kv = kv;
    this.callTimeout = callTimeout;
  }

  /**
   * Reads {@code gets} (gets only) at one revision, with whatever other reads wait.
   *
   * @throws IllegalArgumentException when an operation is not a get
   */
  public CompletableFuture<Reads> read(List<Op> gets) {
    for (Op op : gets) {
      if (!(op instanceof Op.GetOp)) {
        throw new IllegalArgumentException("a coalesced read holds gets only");
      }
    }
    return reads.submit(new ReadPart(List.copyOf(gets), new CompletableFuture<>()));
  }

  /**
   * Commits If {@code compares} Then {@code then} Else {@code otherwise}, with whatever other
   * writes wait, each on its own.
   *
   * @param keysPut every key {@code then} or {@code otherwise} puts or deletes
   */
  public CompletableFuture<Written> write(
      Cmp[] compares, Op[] then, Op[] otherwise, Set<ByteSequence> keysPut) {
    return writes.submit(
        new WritePart(
            compares.clone(),
            then.clone(),
            otherwise.clone(),
            Set.copyOf(keysPut),
            new CompletableFuture<>()));
  }

  private interface Part<A> {
    CompletableFuture<A> answer();
  }

  private record ReadPart(List<Op> gets, CompletableFuture<Reads> answer) implements Part<Reads> {}

  private record WritePart(
      Cmp[] compares,
      Op[] then,
      Op[] otherwise,
      Set<ByteSequence> keysPut,
      CompletableFuture<Written> answer)
      implements Part<Written> {}

  /** One kind's queue, its transaction in flight, and how a batch of it is sent and answered. */
  private abstract class Lane<P extends Part<A>, A> {
    private final ArrayDeque<P> waiting = new ArrayDeque<>();
    private boolean inFlight;

    CompletableFuture<A> submit(P part) {
      synchronized (this) {
        waiting.add(part);
        if (inFlight) {
          return part.answer();
        }
        inFlight = true;
      }
      sendNext();
      return part.answer();
    }

    /** Sends what waits, or ends the flight when nothing does. */
    private void sendNext() {
      List<P> batch;
      synchronized (this) {
        batch = take(waiting);
        if (batch.isEmpty()) {
          inFlight = false;
          return;
        }
      }
      CompletableFuture<TxnResponse> call;
      try {
        call = send(batch).orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        batch.forEach(p -> p.answer().completeExceptionally(e));
        sendNext();
        return;
      }
      call.whenComplete(
          (response, failure) -> {
            try {
              if (failure != null) {
                batch.forEach(p -> p.answer().completeExceptionally(failure));
              } else {
                answer(batch, response);
              }
            } catch (RuntimeException e) {
              batch.forEach(p -> p.answer().completeExceptionally(e));
            } finally {
              sendNext();
            }
          });
    }

    /** Takes the next batch off {@code waiting}: never empty while a live call waits. */
    abstract List<P> take(ArrayDeque<P> waiting);

    abstract CompletableFuture<TxnResponse> send(List<P> batch);

    abstract void answer(List<P> batch, TxnResponse response);
  }

  private final class ReadLane extends Lane<ReadPart, Reads> {
    @Override
    List<ReadPart> take(ArrayDeque<ReadPart> waiting) {
      List<ReadPart> batch = new ArrayList<>();
      int ops = 0;
      for (Iterator<ReadPart> it = waiting.iterator(); it.hasNext(); ) {
        ReadPart part = it.next();
        if (part.answer().isDone()) {
          it.remove();
          continue;
        }
        if (!batch.isEmpty() && ops + part.gets().size() > MAX_OPS) {
          break;
        }
        it.remove();
        batch.add(part);
        ops += part.gets().size();
      }
      return batch;
    }

    @Override
    CompletableFuture<TxnResponse> send(List<ReadPart> batch) {
      List<Op> gets = new ArrayList<>();
      batch.forEach(p -> gets.addAll(p.gets()));
      return kv.txn().Then(gets.toArray(Op[]::new)).commit();
    }

    @Override
    void answer(List<ReadPart> batch, TxnResponse response) {
      List<GetResponse> answers = response.getGetResponses();
      int asked = batch.stream().mapToInt(p -> p.gets().size()).sum();
      if (answers.size() != asked) {
        throw new IllegalStateException(
            "etcd answered " + answers.size() + " of " + asked + " gets");
      }
      long revision = response.getHeader().getRevision();
      int from = 0;
      for (ReadPart part : batch) {
        int to = from + part.gets().size();
        part.answer().complete(new Reads(List.copyOf(answers.subList(from, to)), revision));
        from = to;
      }
    }
  }

  private final class WriteLane extends Lane<WritePart, Written> {
    @Override
    List<WritePart> take(ArrayDeque<WritePart> waiting) {
      List<WritePart> batch = new ArrayList<>();
      Set<ByteSequence> keys = new HashSet<>();
      for (Iterator<WritePart> it = waiting.iterator(); it.hasNext() && batch.size() < MAX_OPS; ) {
        WritePart part = it.next();
        if (part.answer().isDone()) {
          it.remove();
          continue;
        }
        if (part.keysPut().stream().anyMatch(keys::contains)) {
          continue; // the same key twice: this one goes in a later transaction
        }
        it.remove();
        batch.add(part);
        keys.addAll(part.keysPut());
      }
      return batch;
    }

    @Override
    CompletableFuture<TxnResponse> send(List<WritePart> batch) {
      if (batch.size() == 1) {
        WritePart alone = batch.get(0);
        return kv.txn().If(alone.compares()).Then(alone.then()).Else(alone.otherwise()).commit();
      }
      Op[] nested =
          batch.stream().map(p -> Op.txn(p.compares(), p.then(), p.otherwise())).toArray(Op[]::new);
      return kv.txn().Then(nested).commit();
    }

    @Override
    void answer(List<WritePart> batch, TxnResponse response) {
      if (batch.size() == 1) {
        batch
            .get(0)
            .answer()
            .complete(new Written(response.isSucceeded(), response.getGetResponses()));
        return;
      }
      List<TxnResponse> each = response.getTxnResponses();
      if (each.size() != batch.size()) {
        throw new IllegalStateException(
            "etcd answered " + each.size() + " of " + batch.size() + " nested transactions");
      }
      for (int i = 0; i < batch.size(); i++) {
        TxnResponse one = each.get(i);
        batch.get(i).answer().complete(new Written(one.isSucceeded(), one.getGetResponses()));
      }
    }
  }
}
