package io.mpcw.votes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mpcw.testsupport.junit.EtcdExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CoalescedTxns} against a real etcd: the first transaction of a kind is held in flight (its
 * send delayed until the test lets it go), so what comes meanwhile has to wait and go together.
 */
class CoalescedTxnsTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static Client client;
  private static String prefix;

  private HeldKv kv;

  @BeforeAll
  static void connect() {
    client = ETCD.client("root");
    prefix = ETCD.keyPrefix() + "coalesced/" + UUID.randomUUID() + "/";
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @BeforeEach
  void fresh() {
    kv = new HeldKv(client.getKVClient());
  }

  @Test
  void readsThatComeWhileOneIsInFlightGoTogetherAsOneReadOfEtcd() throws Exception {
    List<ByteSequence> keys = List.of(key(), key(), key(), key());
    for (int i = 0; i < keys.size(); i++) {
      client.getKVClient().put(keys.get(i), text("value-" + i)).get();
    }
    CoalescedTxns txns = new CoalescedTxns(kv.proxy(), TIMEOUT);
    long raftIndex = raftIndex();
    CompletableFuture<Void> release = kv.holdNext();

    CompletableFuture<CoalescedTxns.Reads> first = txns.read(List.of(get(keys.get(0))));
    CompletableFuture<CoalescedTxns.Reads> second =
        txns.read(List.of(get(keys.get(1)), get(keys.get(2))));
    CompletableFuture<CoalescedTxns.Reads> third = txns.read(List.of(get(keys.get(3))));
    release.complete(null);

    assertThat(values(first.get(5, TimeUnit.SECONDS))).containsExactly("value-0");
    assertThat(values(second.get(5, TimeUnit.SECONDS))).containsExactly("value-1", "value-2");
    assertThat(values(third.get(5, TimeUnit.SECONDS))).containsExactly("value-3");
    assertThat(kv.opsPerCommit).containsExactly(1, 3);
    assertThat(second.get().revision()).isEqualTo(third.get().revision());
    assertThat(raftIndex()).as("reads take no Raft entry").isEqualTo(raftIndex);
  }

  @Test
  void writesThatComeWhileOneIsInFlightGoTogetherEachDecidedOnItsOwn() throws Exception {
    ByteSequence held = key();
    ByteSequence fresh = key();
    ByteSequence taken = key();
    client.getKVClient().put(taken, text("there before")).get();
    CoalescedTxns txns = new CoalescedTxns(kv.proxy(), TIMEOUT);
    CompletableFuture<Void> release = kv.holdNext();

    CompletableFuture<CoalescedTxns.Written> first = createIfAbsent(txns, held, "first");
    CompletableFuture<CoalescedTxns.Written> created = createIfAbsent(txns, fresh, "created");
    CompletableFuture<CoalescedTxns.Written> refused = createIfAbsent(txns, taken, "refused");
    // the same key as a write already in the next batch: it waits for the one after
    CompletableFuture<CoalescedTxns.Written> later = createIfAbsent(txns, fresh, "later");
    release.complete(null);

    assertThat(first.get(5, TimeUnit.SECONDS).succeeded()).isTrue();
    assertThat(created.get(5, TimeUnit.SECONDS).succeeded()).isTrue();
    CoalescedTxns.Written lost = refused.get(5, TimeUnit.SECONDS);
    assertThat(lost.succeeded()).isFalse();
    assertThat(value(lost.answers().get(0))).isEqualTo("there before");
    CoalescedTxns.Written second = later.get(5, TimeUnit.SECONDS);
    assertThat(second.succeeded()).isFalse();
    assertThat(value(second.answers().get(0))).isEqualTo("created");
    // the held write alone, the two that waited nested in one, the same-key one alone
    assertThat(kv.opsPerCommit).containsExactly(1, 2, 1);
    assertThat(value(client.getKVClient().get(fresh).get())).isEqualTo("created");
    assertThat(value(client.getKVClient().get(taken).get())).isEqualTo("there before");
  }

  @Test
  void aTransactionEtcdDoesNotAnswerFailsItsCallsAtTheTimeoutAndWhatWaitedGoesNext()
      throws Exception {
    ByteSequence key = key();
    client.getKVClient().put(key, text("answered")).get();
    CoalescedTxns txns = new CoalescedTxns(kv.proxy(), Duration.ofMillis(300));
    kv.holdNext(); // never released: a call etcd never answers

    CompletableFuture<CoalescedTxns.Reads> hung = txns.read(List.of(get(key)));
    CompletableFuture<CoalescedTxns.Reads> waiting = txns.read(List.of(get(key)));

    assertThatThrownBy(() -> hung.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(values(waiting.get(5, TimeUnit.SECONDS))).containsExactly("answered");
  }

  @Test
  void aCallItsCallerGaveUpOnWhileItWaitedIsNotSent() throws Exception {
    ByteSequence key = key();
    client.getKVClient().put(key, text("read")).get();
    CoalescedTxns txns = new CoalescedTxns(kv.proxy(), TIMEOUT);
    CompletableFuture<Void> release = kv.holdNext();

    CompletableFuture<CoalescedTxns.Reads> first = txns.read(List.of(get(key)));
    CompletableFuture<CoalescedTxns.Reads> abandoned = txns.read(List.of(get(key), get(key)));
    CompletableFuture<CoalescedTxns.Reads> wanted = txns.read(List.of(get(key)));
    abandoned.cancel(true);
    release.complete(null);

    assertThat(values(first.get(5, TimeUnit.SECONDS))).containsExactly("read");
    assertThat(values(wanted.get(5, TimeUnit.SECONDS))).containsExactly("read");
    assertThat(kv.opsPerCommit).containsExactly(1, 1);
  }

  @Test
  void aReadHoldsGetsOnly() {
    CoalescedTxns txns = new CoalescedTxns(kv.proxy(), TIMEOUT);

    assertThatThrownBy(() -> txns.read(List.of(Op.put(key(), text("x"), PutOption.DEFAULT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gets only");
    assertThat(kv.opsPerCommit).isEmpty();
  }

  private static CompletableFuture<CoalescedTxns.Written> createIfAbsent(
      CoalescedTxns txns, ByteSequence key, String value) {
    return txns.write(
        new Cmp[] {new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0))},
        new Op[] {Op.put(key, text(value), PutOption.DEFAULT)},
        new Op[] {get(key)},
        Set.of(key));
  }

  private static long raftIndex() throws Exception {
    return client
        .getMaintenanceClient()
        .statusMember(ETCD.endpoints().split(",")[0])
        .get()
        .getRaftIndex();
  }

  private static Op get(ByteSequence key) {
    return Op.get(key, GetOption.DEFAULT);
  }

  private static ByteSequence key() {
    return text(prefix + UUID.randomUUID());
  }

  private static ByteSequence text(String value) {
    return ByteSequence.from(value, StandardCharsets.UTF_8);
  }

  private static List<String> values(CoalescedTxns.Reads reads) {
    return reads.answers().stream().map(CoalescedTxnsTest::value).toList();
  }

  private static String value(GetResponse answer) {
    return answer.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  /**
   * A real KV that records the operations of each committed transaction (its Then branch) and can
   * hold the next commit: sent only once the test completes the future {@link #holdNext} returns.
   */
  private static final class HeldKv {
    private final KV kv;
    final List<Integer> opsPerCommit = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> hold;

    HeldKv(KV kv) {
      this.kv = kv;
    }

    CompletableFuture<Void> holdNext() {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      hold = gate;
      return gate;
    }

    KV proxy() {
      return (KV)
          Proxy.newProxyInstance(
              KV.class.getClassLoader(),
              new Class<?>[] {KV.class},
              (self, method, args) -> {
                Object result = invoke(kv, method, args);
                return method.getName().equals("txn") ? txn((Txn) result) : result;
              });
    }

    private Txn txn(Txn real) {
      int[] ops = {0};
      return (Txn)
          Proxy.newProxyInstance(
              Txn.class.getClassLoader(),
              new Class<?>[] {Txn.class},
              (self, method, args) -> {
                if (method.getName().equals("Then")) {
                  ops[0] = ((Op[]) args[0]).length;
                }
                if (method.getName().equals("commit")) {
                  opsPerCommit.add(ops[0]);
                  CompletableFuture<Void> gate = hold;
                  hold = null;
                  if (gate != null) {
                    return gate.thenCompose(ignored -> real.commit());
                  }
                  return real.commit();
                }
                Object r = invoke(real, method, args);
                return r == real ? self : r;
              });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
        throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
