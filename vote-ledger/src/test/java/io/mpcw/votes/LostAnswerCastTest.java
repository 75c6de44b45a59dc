package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A vote transaction whose answer is lost (what a leader kill or a timeout does) while etcd applied
 * it: the retry finds the call's own record, and must report the vote counted by this call, not
 * "duplicate, someone voted first". Found by the linearizability check.
 */
class LostAnswerCastTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static Client client;
  private static EtcdKeys keys;

  private final AtomicInteger answersToLoseAfterApplying = new AtomicInteger();
  private final AtomicInteger requestsToLoseBeforeSending = new AtomicInteger();

  @BeforeAll
  static void connect() {
    keys = new EtcdKeys(ETCD.keyPrefix());
    client = ETCD.client("root");
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void aCastWhoseAppliedTransactionLostItsAnswerIsReportedCounted() {
    EtcdVoteLedger ledger = lossyLedger();
    UUID tx = UUID.randomUUID();
    String digest = EtcdVoteLedgerTest.digest(tx, Decision.APPROVE);
    ledger.cast(EtcdVoteLedgerTest.vote(tx, "node-1", Decision.APPROVE, digest));
    VoteRecord second = EtcdVoteLedgerTest.vote(tx, "node-2", Decision.APPROVE, digest);

    answersToLoseAfterApplying.set(1);
    CastResult result = ledger.cast(second);

    assertThat(answersToLoseAfterApplying).hasValue(0);
    assertThat(result).isEqualTo(new CastResult.Counted(second));
    assertThat(ledger.snapshot(tx, List.of("node-1", "node-2")).counts()).containsEntry(digest, 2L);
  }

  @Test
  void aBatchWhoseAppliedTransactionLostItsAnswerReportsEachOfItsVotesCountedAndOthersAsFound() {
    EtcdVoteLedger ledger = lossyLedger();
    UUID tx = UUID.randomUUID();
    UUID votedBefore = UUID.randomUUID();
    String digest = EtcdVoteLedgerTest.digest(tx, Decision.APPROVE);
    VoteRecord first =
        EtcdVoteLedgerTest.vote(
            votedBefore,
            "node-2",
            Decision.APPROVE,
            EtcdVoteLedgerTest.digest(votedBefore, Decision.APPROVE));
    ledger.cast(first);
    VoteRecord fresh = EtcdVoteLedgerTest.vote(tx, "node-2", Decision.APPROVE, digest);
    VoteRecord again =
        EtcdVoteLedgerTest.vote(
            votedBefore,
            "node-2",
            Decision.REJECT,
            EtcdVoteLedgerTest.digest(votedBefore, Decision.REJECT));

    answersToLoseAfterApplying.set(1);
    List<CastResult> results = ledger.castAll(List.of(fresh, again));

    assertThat(answersToLoseAfterApplying).hasValue(0);
    // the retry finds the fresh vote it wrote itself, and the older vote someone else wrote
    assertThat(results)
        .containsExactly(new CastResult.Counted(fresh), new CastResult.Duplicate(first));
  }

  @Test
  void aCastWhoseRequestNeverReachedEtcdIsCountedByTheRetry() {
    EtcdVoteLedger ledger = lossyLedger();
    UUID tx = UUID.randomUUID();
    VoteRecord vote =
        EtcdVoteLedgerTest.vote(
            tx, "node-1", Decision.APPROVE, EtcdVoteLedgerTest.digest(tx, Decision.APPROVE));

    requestsToLoseBeforeSending.set(2);
    CastResult result = ledger.cast(vote);

    assertThat(requestsToLoseBeforeSending).hasValue(0);
    assertThat(result).isEqualTo(new CastResult.Counted(vote));
  }

  @Test
  void theSameRecordCastAgainByANewCallIsADuplicateCountedOnce() {
    EtcdVoteLedger ledger = lossyLedger();
    UUID tx = UUID.randomUUID();
    String digest = EtcdVoteLedgerTest.digest(tx, Decision.APPROVE);
    VoteRecord vote = EtcdVoteLedgerTest.vote(tx, "node-1", Decision.APPROVE, digest);
    ledger.cast(vote);

    assertThat(ledger.cast(vote)).isEqualTo(new CastResult.Duplicate(vote));
    assertThat(ledger.snapshot(tx, List.of("node-1")).counts()).containsEntry(digest, 1L);
  }

  private EtcdVoteLedger lossyLedger() {
    KV real = client.getKVClient();
    KV lossy =
        (KV)
            Proxy.newProxyInstance(
                KV.class.getClassLoader(),
                new Class<?>[] {KV.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("txn") && args == null) {
                    return new LossyTxn(real.txn());
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new EtcdVoteLedger(lossy, keys, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** Commits for real, but may drop the request, or the answer of a transaction etcd applied. */
  private final class LossyTxn implements Txn {
    private final Txn real;

    LossyTxn(Txn real) {
      this.real = real;
    }

    @Override
    public Txn If(Cmp... cmps) {
      real.If(cmps);
      return this;
    }

    @Override
    public Txn Then(Op... ops) {
      real.Then(ops);
      return this;
    }

    @Override
    public Txn Else(Op... ops) {
      real.Else(ops);
      return this;
    }

    @Override
    public CompletableFuture<TxnResponse> commit() {
      if (requestsToLoseBeforeSending.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
      }
      return real.commit()
          .thenCompose(
              answer ->
                  answer.isSucceeded()
                          && answersToLoseAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                      ? CompletableFuture.failedFuture(new IllegalStateException("leader changed"))
                      : CompletableFuture.completedFuture(answer));
    }
  }
}
