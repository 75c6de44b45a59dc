package io.mpcw.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.CompactResponse;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.TxnOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The KV client of one process over several etcd members: every call goes to one member, the
 * current one, and a call refused there as {@link FailoverRule} allows is sent to the next member,
 * which becomes the current one. Without this a process whose member sat on the minority side of a
 * partition failed every call until the partition healed, although the majority kept deciding.
 *
 * <p>Bounded: each member is tried at most {@link EtcdFailover#rounds()} times for one call.
 */
final class MemberFailoverKv implements KV {
  private final List<KV> members;
  private final EtcdFailover failover;
  private final AtomicInteger current;

  MemberFailoverKv(List<KV> members, EtcdFailover failover, int first) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("no etcd member");
    }
    this.members = List.copyOf(members);
    this.failover = failover;
    this.current = new AtomicInteger(first);
  }

  /** The member the next call goes to (its index among the endpoints). */
  int current() {
    return current.get();
  }

  @Override
  public CompletableFuture<PutResponse> put(ByteSequence key, ByteSequence value) {
    return call(false, kv -> kv.put(key, value));
  }

  @Override
  public CompletableFuture<PutResponse> put(
      ByteSequence key, ByteSequence value, PutOption option) {
    return call(false, kv -> kv.put(key, value, option));
  }

  @Override
  public CompletableFuture<GetResponse> get(ByteSequence key) {
    return call(true, kv -> kv.get(key));
  }

  @Override
  public CompletableFuture<GetResponse> get(ByteSequence key, GetOption option) {
    return call(true, kv -> kv.get(key, option));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(ByteSequence key) {
    return call(false, kv -> kv.delete(key));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(ByteSequence key, DeleteOption option) {
    return call(false, kv -> kv.delete(key, option));
  }

  @Override
  public CompletableFuture<CompactResponse> compact(long rev) {
    return call(false, kv -> kv.compact(rev));
  }

  @Override
  public CompletableFuture<CompactResponse> compact(long rev, CompactOption option) {
    return call(false, kv -> kv.compact(rev, option));
  }

  @Override
  public Txn txn() {
    return txn(TxnOption.DEFAULT);
  }

  @Override
  public Txn txn(TxnOption option) {
    return new RecordedTxn(option);
  }

  private <T> CompletableFuture<T> call(boolean read, Function<KV, CompletableFuture<T>> request) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(read, request, 1, current.get(), result);
    return result;
  }

  private <T> void attempt(
      boolean read,
      Function<KV, CompletableFuture<T>> request,
      int attempt,
      int member,
      CompletableFuture<T> result) {
    CompletableFuture<T> sent;
    try {
      sent = request.apply(members.get(member));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    sent.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
            return;
          }
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          FailoverRule rule = FailoverRule.of(cause, read);
          int next = (member + 1) % members.size();
          if (rule != FailoverRule.FAIL) {
            // only the first caller to find this member failing moves everyone on
            current.compareAndSet(member, next);
          }
          if (rule != FailoverRule.RETRY_ELSEWHERE
              || attempt >= failover.rounds() * members.size()) {
            result.completeExceptionally(cause);
            return;
          }
          if (attempt % members.size() == 0) {
            // every member refused once: most likely an election in progress
            CompletableFuture.delayedExecutor(
                    failover.roundPause().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> attempt(read, request, attempt + 1, next, result));
          } else {
            attempt(read, request, attempt + 1, next, result);
          }
        });
  }

  /** A txn recorded here and built on the member each attempt goes to. */
  private final class RecordedTxn implements Txn {
    private final TxnOption option;
    private final List<Cmp> cmps = new ArrayList<>();
    private final List<Op> thenOps = new ArrayList<>();
    private final List<Op> elseOps = new ArrayList<>();

    RecordedTxn(TxnOption option) {
      this.option = option;
    }

    @Override
    public Txn If(Cmp... cmps) {
      this.cmps.addAll(Arrays.asList(cmps));
      return this;
    }

    @Override
    public Txn Then(Op... ops) {
      thenOps.addAll(Arrays.asList(ops));
      return this;
    }

    @Override
    public Txn Else(Op... ops) {
      elseOps.addAll(Arrays.asList(ops));
      return this;
    }

    @Override
    public CompletableFuture<TxnResponse> commit() {
      boolean read =
          thenOps.stream().allMatch(Op.GetOp.class::isInstance)
              && elseOps.stream().allMatch(Op.GetOp.class::isInstance);
      return call(
          read,
          kv ->
              kv.txn(option)
                  .If(cmps.toArray(Cmp[]::new))
                  .Then(thenOps.toArray(Op[]::new))
                  .Else(elseOps.toArray(Op[]::new))
                  .commit());
    }
  }
}
