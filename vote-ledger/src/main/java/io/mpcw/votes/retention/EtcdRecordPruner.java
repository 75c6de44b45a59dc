package io.mpcw.votes.retention;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.types.etcd.EtcdKeys;
import io.mpcw.votes.EtcdWait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes the records under one key prefix that were last written at or before a cut-off revision:
 * it reads the prefix a page at a time (keys only, {@link #DEFAULT_PAGE} keys), then deletes the
 * old ones of each page in transactions of at most {@link #MAX_BATCH} operations, each delete
 * guarded by a compare on the mod revision the page showed. A key rewritten in between (newer than
 * the cut-off now) fails the compare and is kept.
 *
 * <p>The pages walk the prefix by key, and the revision test is made here rather than with the
 * range's {@code max_mod_revision}: etcd ignores a range's limit when a revision filter is set (it
 * reads the whole range, filters, then truncates), so every filtered page would cost the whole
 * prefix. Walking by key reads each key once per pass.
 *
 * <p>The caller must own the prefix (etcd's write permission is what deletes): a prefix it may only
 * read fails on its first delete with etcd's "permission denied", as a {@link PruneException}.
 */
public final class EtcdRecordPruner {
  /** Operations per delete transaction (etcd's default {@code --max-txn-ops} is 128). */
  public static final int MAX_BATCH = 100;

  /** Keys per read: a page of keys only is about 100 bytes a key. */
  public static final int DEFAULT_PAGE = 1000;

  /** Which of the old keys of a page may go; the orchestrator keeps those of live payments. */
  @FunctionalInterface
  public interface KeyFilter {
    KeyFilter ALL = keys -> Set.copyOf(keys);

    /**
     * @param keys keys of one page last written at or before the cut-off
     * @return those that may be deleted
     */
    Set<String> deletable(List<String> keys);
  }

  private final KV kv;
  private final Duration callTimeout;
  private final int page;

  public EtcdRecordPruner(KV kv, Duration callTimeout) {
    this(kv, callTimeout, DEFAULT_PAGE);
  }

  /** Reading {@code page} keys at a time. */
  public EtcdRecordPruner(KV kv, Duration callTimeout, int page) {
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1, not " + page);
    }
    this.kv = kv;
    this.callTimeout = callTimeout;
    this.page = page;
  }

  /** Every key under {@code prefix} whose mod revision is ≤ {@code cutoffRevision}. */
  public long prune(String prefix, long cutoffRevision) {
    return prune(prefix, cutoffRevision, KeyFilter.ALL);
  }

  /**
   * The keys under {@code prefix} (which must end with '/') whose mod revision is ≤ {@code
   * cutoffRevision} and that {@code filter} lets go.
   *
   * @return how many were deleted
   * @throws PruneException when etcd refuses or does not answer; keys deleted before stay deleted,
   *     and {@link PruneException#deleted()} counts them
   */
  public long prune(String prefix, long cutoffRevision, KeyFilter filter) {
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a record prefix ends with '/': " + prefix);
    }
    AtomicLong deleted = new AtomicLong();
    try {
      walk(prefix, cutoffRevision, filter, deleted);
      return deleted.get();
    } catch (PruneException e) {
      throw new PruneException(e.getMessage(), e.getCause(), deleted.get());
    }
  }

  /** Counts each batch in {@code deleted} as it goes, so a failure can tell them. */
  private void walk(String prefix, long cutoffRevision, KeyFilter filter, AtomicLong deleted) {
    ByteSequence end = bytes(EtcdKeys.rangeEnd(prefix));
    ByteSequence from = bytes(prefix);
    while (true) {
      // no sort option: etcd returns a range in key order, and a sort would make it read it all
      GetResponse read =
          await(
              kv.get(
                  from,
                  GetOption.builder().withRange(end).withKeysOnly(true).withLimit(page).build()));
      List<KeyValue> kvs = read.getKvs();
      List<KeyValue> old = kvs.stream().filter(k -> k.getModRevision() <= cutoffRevision).toList();
      if (!old.isEmpty()) {
        Set<String> chosen = filter.deletable(old.stream().map(k -> text(k.getKey())).toList());
        List<KeyValue> doomed =
            old.stream().filter(k -> chosen.contains(text(k.getKey()))).toList();
        for (int i = 0; i < doomed.size(); i += MAX_BATCH) {
          deleted.addAndGet(delete(doomed.subList(i, Math.min(doomed.size(), i + MAX_BATCH))));
        }
      }
      if (!read.isMore() || kvs.isEmpty()) {
        return;
      }
      from = after(kvs.get(kvs.size() - 1).getKey());
    }
  }

  /** One transaction for the batch; if a key changed meanwhile, each of the others on its own. */
  private long delete(List<KeyValue> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    if (deleteAll(keys)) {
      return keys.size();
    }
    long deleted = 0;
    for (KeyValue key : keys) {
      if (deleteAll(List.of(key))) {
        deleted++;
      }
    }
    return deleted;
  }

  private boolean deleteAll(List<KeyValue> keys) {
    List<Cmp> unchanged = new ArrayList<>();
    List<Op> deletes = new ArrayList<>();
    for (KeyValue key : keys) {
      unchanged.add(
          new Cmp(key.getKey(), Cmp.Op.EQUAL, CmpTarget.modRevision(key.getModRevision())));
      deletes.add(Op.delete(key.getKey(), DeleteOption.DEFAULT));
    }
    TxnResponse response =
        await(kv.txn().If(unchanged.toArray(Cmp[]::new)).Then(deletes.toArray(Op[]::new)).commit());
    return response.isSucceeded();
  }

  private <T> T await(java.util.concurrent.CompletableFuture<T> call) {
    return EtcdWait.await(call, callTimeout, PruneException::new);
  }

  /** The smallest key after {@code key}: the next page starts there. */
  private static ByteSequence after(ByteSequence key) {
    byte[] k = key.getBytes();
    byte[] next = java.util.Arrays.copyOf(k, k.length + 1);
    return ByteSequence.from(next);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String text(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
