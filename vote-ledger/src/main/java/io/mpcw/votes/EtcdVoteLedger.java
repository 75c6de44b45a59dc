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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The vote ledger in etcd. A vote is ONE etcd transaction: the vote key is created only if absent,
 * the digest's counter is bumped only if unchanged since it was read, and both are refused when the
 * decision key exists. A lost race is retried with the values the failed transaction returned (no
 * extra read); every etcd call has a timeout, because a call in flight when the leader dies can
 * hang.
 */
public final class EtcdVoteLedger {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final KV kv;
  private final EtcdKeys keys;
  private final Duration callTimeout;
  private final Duration castDeadline;

  public EtcdVoteLedger(KV kv, EtcdKeys keys, Duration callTimeout, Duration castDeadline) {
    this.kv = kv;
    this.keys = keys;
    this.callTimeout = callTimeout;
    this.castDeadline = castDeadline;
  }

  /**
   * Records {@code vote} (already signed) and bumps its digest's counter, atomically. When an
   * attempt of this call was applied but its answer lost (timeout, leader change), the retry finds
   * this very record and reports it {@link CastResult.Counted}, not as a duplicate.
   */
  public CastResult cast(VoteRecord vote) {
    ByteSequence voteKey = bytes(keys.vote(vote.txId(), vote.nodeId()));
    ByteSequence counterKey = bytes(keys.voteCount(vote.txId(), vote.digest()));
    ByteSequence decisionKey = bytes(keys.decision(vote.txId()));
    ByteSequence value = bytes(write(vote));
    long counterRevision = 0;
    long count = 0;
    Instant deadline = Instant.now().plus(castDeadline);
    boolean unanswered = false;
    for (int attempt = 0; ; attempt++) {
      TxnResponse response;
      try {
        response =
            call(
                kv.txn()
                    .If(
                        new Cmp(voteKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                        new Cmp(counterKey, Cmp.Op.EQUAL, CmpTarget.modRevision(counterRevision)),
                        new Cmp(decisionKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(
                        Op.put(voteKey, value, PutOption.DEFAULT),
                        Op.put(counterKey, bytes(Long.toString(count + 1)), PutOption.DEFAULT))
                    .Else(
                        Op.get(voteKey, GetOption.DEFAULT),
                        Op.get(counterKey, GetOption.DEFAULT),
                        Op.get(decisionKey, GetOption.DEFAULT))
                    .commit());
      } catch (VoteLedgerException e) {
        // the transaction may or may not have been applied: the next attempt finds out
        unanswered = true;
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        backoff(attempt);
        continue;
      }
      if (response.isSucceeded()) {
        return new CastResult.Counted(vote, count + 1);
      }
      List<GetResponse> gets = response.getGetResponses();
      if (gets.get(0).getCount() > 0) {
        KeyValue existing = gets.get(0).getKvs().get(0);
        if (!unanswered || !existing.getValue().equals(value)) {
          return new CastResult.Duplicate(read(existing));
        }
        // our own earlier attempt was applied but its answer was lost: this call counted the vote,
        // and the counter it wrote is the counter's value at the vote key's revision
        try {
          return new CastResult.Counted(vote, countAt(counterKey, existing.getModRevision()));
        } catch (VoteLedgerException e) {
          if (Instant.now().isAfter(deadline)) {
            throw e;
          }
          backoff(attempt);
          continue;
        }
      }
      if (gets.get(2).getCount() > 0) {
        return new CastResult.Late();
      }
      if (gets.get(1).getCount() > 0) {
        KeyValue counter = gets.get(1).getKvs().get(0);
        counterRevision = counter.getModRevision();
        count = Long.parseLong(counter.getValue().toString(StandardCharsets.UTF_8));
      } else {
        counterRevision = 0;
        count = 0;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new VoteLedgerException(
            "vote on "
                + vote.txId()
                + " not recorded within the cast deadline ("
                + (attempt + 1)
                + " attempts lost the counter race)",
            null);
      }
      if (attempt > 2) {
        backoff(attempt);
      }
    }
  }

  private long countAt(ByteSequence counterKey, long revision) {
    GetResponse counter =
        call(kv.get(counterKey, GetOption.builder().withRevision(revision).build()));
    if (counter.getCount() == 0) {
      throw new VoteLedgerException("no vote counter at revision " + revision, null);
    }
    return Long.parseLong(counter.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8));
  }

  /**
   * Writes the orchestrator's decision unless one exists; returns the decision that stands (the
   * first one written wins, so replicas racing to decide agree).
   */
  public String decide(UUID txId, String decision) {
    ByteSequence key = bytes(keys.decision(txId));
    TxnResponse response =
        call(
            kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, bytes(decision), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit());
    if (response.isSucceeded()) {
      return decision;
    }
    return response
        .getGetResponses()
        .get(0)
        .getKvs()
        .get(0)
        .getValue()
        .toString(StandardCharsets.UTF_8);
  }

  /** Votes, counters and decision of one transaction, consistently at one revision. */
  public VoteSnapshot snapshot(UUID txId) {
    GetResponse votes = call(kv.get(bytes(keys.votesOf(txId)), prefix()));
    long revision = votes.getHeader().getRevision();
    GetOption atRevision = GetOption.builder().isPrefix(true).withRevision(revision).build();
    GetResponse counters = call(kv.get(bytes(keys.voteCountsOf(txId)), atRevision));
    GetResponse decision =
        call(
            kv.get(bytes(keys.decision(txId)), GetOption.builder().withRevision(revision).build()));
    List<VoteRecord> records = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (KeyValue entry : votes.getKvs()) {
      try {
        records.add(read(entry));
      } catch (IllegalArgumentException e) {
        malformed.add(entry.getKey().toString(StandardCharsets.UTF_8));
      }
    }
    Map<String, Long> counts = new HashMap<>();
    String countersPrefix = keys.voteCountsOf(txId);
    for (KeyValue entry : counters.getKvs()) {
      String key = entry.getKey().toString(StandardCharsets.UTF_8);
      try {
        counts.put(
            key.substring(countersPrefix.length()),
            Long.parseLong(entry.getValue().toString(StandardCharsets.UTF_8)));
      } catch (NumberFormatException e) {
        malformed.add(key);
      }
    }
    Optional<String> decided =
        decision.getKvs().stream()
            .findFirst()
            .map(e -> e.getValue().toString(StandardCharsets.UTF_8));
    return new VoteSnapshot(records, malformed, counts, decided, revision);
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
    try {
      return future.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new VoteLedgerException(
          "etcd did not answer within " + callTimeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new VoteLedgerException("etcd call failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VoteLedgerException("interrupted while waiting for etcd", e);
    }
  }

  private static GetOption prefix() {
    return GetOption.builder().isPrefix(true).build();
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
