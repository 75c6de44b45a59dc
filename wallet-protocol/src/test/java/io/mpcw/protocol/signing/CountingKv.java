package io.mpcw.protocol.signing;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real etcd KV that counts the requests sent through it (each one round trip), and can run an
 * action right after a chosen request has been answered: what another node or a coordinator does
 * "between the read and the write".
 */
final class CountingKv implements KV {
  private final KV kv;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private volatile int after = -1;
  private volatile Runnable action = () -> {};

  CountingKv(KV kv) {
    this.kv = kv;
  }

  int requests() {
    return requests.get();
  }

  /**
   * The requests etcd takes as writes (a Raft entry each): every put, delete and compaction, and
   * every transaction with an operation that is not a get in either branch (etcd's own rule: a
   * nested transaction makes one a write, even if it only reads).
   */
  int writes() {
    return writes.get();
  }

  void reset() {
    requests.set(0);
    writes.set(0);
    after = -1;
  }

  /** Runs {@code action} once, as soon as the {@code n}-th request (from now) is answered. */
  void afterRequest(int n, Runnable then) {
    requests.set(0);
    action = then;
    after = n;
  }

  private <T> CompletableFuture<T> write(CompletableFuture<T> call) {
    writes.incrementAndGet();
    return counted(call);
  }

  private <T> CompletableFuture<T> counted(CompletableFuture<T> call) {
    if (requests.incrementAndGet() == after) {
      after = -1;
      call.join();
      action.run();
    }
    return call;
  }

  @Override
  public CompletableFuture<PutResponse> put(ByteSequence key, ByteSequence value) {
    return write(kv.put(key, value));
  }

  @Override
  public CompletableFuture<PutResponse> put(
      ByteSequence key, ByteSequence value, PutOption option) {
    return write(kv.put(key, value, option));
  }

  @Override
  public CompletableFuture<GetResponse> get(ByteSequence key) {
    return counted(kv.get(key));
  }

  @Override
  public CompletableFuture<GetResponse> get(ByteSequence key, GetOption option) {
    return counted(kv.get(key, option));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(ByteSequence key) {
    return write(kv.delete(key));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(ByteSequence key, DeleteOption option) {
    return write(kv.delete(key, option));
  }

  @Override
  public CompletableFuture<CompactResponse> compact(long rev) {
    return write(kv.compact(rev));
  }

  @Override
  public CompletableFuture<CompactResponse> compact(long rev, CompactOption option) {
    return write(kv.compact(rev, option));
  }

  @Override
  public Txn txn() {
    return counted(kv.txn());
  }

  @Override
  public Txn txn(TxnOption option) {
    return counted(kv.txn(option));
  }

  @Override
  public void close() {
    // the client owns the KV
  }

  /** A transaction is one request, sent on commit. */
  private Txn counted(Txn txn) {
    return new Txn() {
      private boolean onlyGets = true;

      private void note(Op... ops) {
        for (Op op : ops) {
          onlyGets &= op instanceof Op.GetOp;
        }
      }

      @Override
      public Txn If(Cmp... cmps) {
        txn.If(cmps);
        return this;
      }

      @Override
      public Txn Then(Op... ops) {
        note(ops);
        txn.Then(ops);
        return this;
      }

      @Override
      public Txn Else(Op... ops) {
        note(ops);
        txn.Else(ops);
        return this;
      }

      @Override
      public CompletableFuture<TxnResponse> commit() {
        return onlyGets ? counted(txn.commit()) : write(txn.commit());
      }
    };
  }
}
