package io.mpcw.votes.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.testsupport.junit.EtcdExtension;
import io.mpcw.types.etcd.EtcdKeys;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pruner against a real etcd with authentication, connected as the owner of the records. */
class EtcdRecordPrunerTest {
  @RegisterExtension static final EtcdExtension ETCD = EtcdExtension.shared();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static EtcdKeys keys;
  private static Client node1;
  private static Client node2;
  private static Client orchestrator;
  private static Client root;

  @BeforeAll
  static void connect() {
    keys = ETCD.keys();
    node1 = ETCD.client("node-1");
    node2 = ETCD.client("node-2");
    orchestrator = ETCD.client("orchestrator");
    root = ETCD.client("root");
  }

  @AfterAll
  static void close() {
    node1.close();
    node2.close();
    orchestrator.close();
    root.close();
  }

  /** A prefix of node-1's, fresh for each test. */
  private static String freshPrefix() {
    return keys.nodeRecords("node-1") + "t" + UUID.randomUUID() + "/";
  }

  @Test
  void deletesExactlyTheKeysAtOrBelowTheCutOffUnderItsPrefixInSeveralTransactions()
      throws Exception {
    String prefix = freshPrefix();
    String stem = prefix.substring(0, prefix.length() - 1);
    // beside the range on either side: '.' sorts before '/', and "0" is the range's end
    put(node1, stem + ".before", "old");
    put(node1, stem + "0", "old");
    List<String> old = new ArrayList<>();
    long cutoff = 0;
    for (int i = 0; i < 230; i++) {
      old.add(prefix + "old-" + i);
      cutoff = put(node1, prefix + "old-" + i, "v");
    }
    List<String> young = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // interleaved with the old ones by key, so every page mixes both
      young.add(prefix + "old-" + i + "-young");
      put(node1, prefix + "old-" + i + "-young", "v");
    }
    AtomicInteger commits = new AtomicInteger();

    long pruned =
        new EtcdRecordPruner(counting(node1.getKVClient(), commits), TIMEOUT).prune(prefix, cutoff);

    assertThat(pruned).isEqualTo(230);
    assertThat(keysUnder(root, prefix)).containsExactlyInAnyOrderElementsOf(young);
    assertThat(exists(root, stem + ".before")).isTrue();
    assertThat(exists(root, stem + "0")).isTrue();
    // 230 old keys: transactions of at most 100 deletes
    assertThat(commits.get()).isEqualTo(3);
  }

  @Test
  void smallPagesWalkTheWholePrefix() throws Exception {
    String prefix = freshPrefix();
    long cutoff = 0;
    for (int i = 0; i < 25; i++) {
      cutoff = put(node1, prefix + "k" + i, "v");
    }
    put(node1, prefix + "k3", "rewritten after the cut-off");

    long pruned = new EtcdRecordPruner(node1.getKVClient(), TIMEOUT, 4).prune(prefix, cutoff);

    assertThat(pruned).isEqualTo(24);
    assertThat(keysUnder(root, prefix)).containsExactly(prefix + "k3");
  }

  @Test
  void aKeyRewrittenBetweenTheRangeAndTheDeleteIsKeptAndTheOthersGo() throws Exception {
    String prefix = freshPrefix();
    long cutoff = 0;
    for (int i = 0; i < 5; i++) {
      cutoff = put(node1, prefix + "k" + i, "v");
    }
    KV racing =
        beforeEachTxn(
            node1.getKVClient(),
            new Runnable() {
              boolean done;

              @Override
              public void run() {
                if (!done) {
                  done = true;
                  put(node1, prefix + "k2", "written while the pruner looked away");
                }
              }
            });

    long pruned = new EtcdRecordPruner(racing, TIMEOUT).prune(prefix, cutoff);

    assertThat(pruned).isEqualTo(4);
    assertThat(keysUnder(root, prefix)).containsExactly(prefix + "k2");
  }

  @Test
  void theFilterKeepsWhatItDoesNotName() throws Exception {
    String prefix = freshPrefix();
    put(node1, prefix + "live", "v");
    long cutoff = put(node1, prefix + "done", "v");

    long pruned =
        new EtcdRecordPruner(node1.getKVClient(), TIMEOUT)
            .prune(
                prefix,
                cutoff,
                candidates -> {
                  assertThat(candidates)
                      .containsExactlyInAnyOrder(prefix + "live", prefix + "done");
                  return Set.of(prefix + "done");
                });

    assertThat(pruned).isEqualTo(1);
    assertThat(keysUnder(root, prefix)).containsExactly(prefix + "live");
  }

  @Test
  void aNodeCannotPruneAnotherNodesRecords() throws Exception {
    String lock = keys.signingLock(UUID.randomUUID(), "node-2");
    long cutoff = put(node2, lock, "txid");

    assertThatThrownBy(
            () ->
                new EtcdRecordPruner(node1.getKVClient(), TIMEOUT)
                    .prune(keys.nodeRecords("node-2"), cutoff))
        .isInstanceOf(PruneException.class)
        .hasMessageContaining("permission denied");
    assertThat(exists(root, lock)).isTrue();
  }

  @Test
  void aNodeCannotPruneTheOrchestratorsDecisions() throws Exception {
    String decision = keys.decision(UUID.randomUUID());
    long cutoff = put(orchestrator, decision, "approved");

    assertThatThrownBy(
            () ->
                new EtcdRecordPruner(node1.getKVClient(), TIMEOUT)
                    .prune(keys.orchestratorRecords(), cutoff))
        .isInstanceOf(PruneException.class)
        .hasMessageContaining("permission denied");
    assertThat(exists(root, decision)).isTrue();
  }

  @Test
  void aRefusalPartWayTellsHowManyKeysWereDeletedBeforeIt() throws Exception {
    String mine = freshPrefix();
    for (int i = 0; i < 3; i++) {
      put(node1, mine + "k" + i, "v");
    }
    String theirs = keys.signingLock(UUID.randomUUID(), "node-2");
    long cutoff = put(node2, theirs, "txid");

    // every node's records, one key at a time: node-1's come first and go, node-2's are refused
    assertThatThrownBy(
            () ->
                new EtcdRecordPruner(node1.getKVClient(), TIMEOUT, 1)
                    .prune(keys.all() + "nodes/", cutoff))
        .isInstanceOfSatisfying(
            PruneException.class, e -> assertThat(e.deleted()).isGreaterThanOrEqualTo(3));
    assertThat(keysUnder(root, mine)).isEmpty();
    assertThat(exists(root, theirs)).isTrue();
  }

  @Test
  void aPrefixWithoutTheTrailingSlashIsRefused() {
    assertThatThrownBy(
            () -> new EtcdRecordPruner(node1.getKVClient(), TIMEOUT).prune("/mpcw/nodes", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Puts as {@code client}; returns the revision of the put. */
  static long put(Client client, String key, String value) {
    try {
      return client
          .getKVClient()
          .put(bytes(key), bytes(value))
          .get(10, TimeUnit.SECONDS)
          .getHeader()
          .getRevision();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static boolean exists(Client root, String key) throws Exception {
    return root.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getCount() == 1;
  }

  static Set<String> keysUnder(Client root, String prefix) throws Exception {
    Set<String> found = new TreeSet<>();
    root.getKVClient()
        .get(bytes(prefix), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
        .get(10, TimeUnit.SECONDS)
        .getKvs()
        .forEach(kv -> found.add(kv.getKey().toString(StandardCharsets.UTF_8)));
    return found;
  }

  /** {@code kv}, counting the transactions it commits. */
  private static KV counting(KV kv, AtomicInteger commits) {
    return beforeEachTxn(kv, commits::incrementAndGet);
  }

  /** {@code kv}, running {@code before} ahead of each transaction it commits. */
  private static KV beforeEachTxn(KV kv, Runnable before) {
    return (KV)
        Proxy.newProxyInstance(
            KV.class.getClassLoader(),
            new Class<?>[] {KV.class},
            (proxy, method, args) -> {
              try {
                Object result = method.invoke(kv, args);
                if (method.getName().equals("txn")) {
                  Txn real = (Txn) result;
                  return Proxy.newProxyInstance(
                      Txn.class.getClassLoader(),
                      new Class<?>[] {Txn.class},
                      (txnProxy, txnMethod, txnArgs) -> {
                        if (txnMethod.getName().equals("commit")) {
                          before.run();
                        }
                        Object r = txnMethod.invoke(real, txnArgs);
                        return r == real ? txnProxy : r;
                      });
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
