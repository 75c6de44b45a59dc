package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.mpcw.embedded.etcd.EtcdBinary;
import io.mpcw.embedded.etcd.EtcdCluster;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.embedded.etcd.EtcdPki;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.etcd.EtcdFailover;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.transport.pki.ClusterPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's etcd client whose member is cut off with a minority, or gone, keeps working through
 * the others (the payments of the chaos suite's 2 | 3 split stalled without this). Real 3-member
 * etcd on loopback; the isolated member is cut from its peers by {@link NetworkCuts} (root, nft and
 * cgroup v2, else that case is skipped) while this test still reaches every member.
 */
class EtcdMemberFailoverTest {
  // how long the test waits for one call: patience, not a speed claim (after a kill, the two left
  // elect a leader first; on a loaded machine that alone took more than 5 s once)
  private static final Duration CALL = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void aClientOnAMemberCutOffFromItsPeersKeepsReadingAndWritingThroughTheMajority()
      throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "cutting links needs root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nft missing");
    assumeTrue(
        Files.readString(Path.of("/proc/mounts")).contains(" cgroup2 "), "cgroup v2 not mounted");
    String name = "mpcw-failover-" + UUID.randomUUID().toString().substring(0, 8);
    try (NetworkCuts cuts = new NetworkCuts(name, NetworkCuts.cgroup2Mount())) {
      cuts.open();
      try (EtcdCluster etcd = startInCgroups(cuts)) {
        EtcdMember isolated = etcd.members().get(0);
        try (Client client = clientStartingOn(etcd, isolated)) {
          put(client, "/before", "1");

          cuts.cut(List.of("etcd-0"), List.of("etcd-1", "etcd-2"));
          awaitNoLeader(etcd, isolated);
          // the majority elects its own leader first (on a loaded machine that takes seconds):
          // what is tested is that the client leaves the leaderless member, not election speed
          awaitWritable(etcd, etcd.members().get(1));

          // every call would land on etcd-0 and be refused without the failover
          for (int i = 0; i < 5; i++) {
            put(client, "/during/" + i, "x");
          }
          TxnResponse created = createOnly(client, "/guarded");
          assertThat(created.isSucceeded()).isTrue();
          assertThat(createOnly(client, "/guarded").isSucceeded())
              .as("a second create-only txn sees the first: applied once")
              .isFalse();
          assertThat(get(client, "/before")).isEqualTo("1");
          // a read-only txn (the vote ledger's snapshot shape)
          assertThat(
                  client
                      .getKVClient()
                      .txn()
                      .Then(Op.get(bytes("/during/4"), GetOption.DEFAULT))
                      .commit()
                      .get(CALL.toSeconds(), TimeUnit.SECONDS)
                      .getGetResponses()
                      .get(0)
                      .getCount())
              .isEqualTo(1);
        }
        cuts.heal();
      } finally {
        cuts.close();
        assertThat(cuts.leftovers()).isEmpty();
      }
    }
  }

  @Test
  void aClientWhoseMemberIsKilledKeepsWritingThroughTheOthers() throws Exception {
    try (EtcdCluster etcd = EtcdCluster.startTemporary(3)) {
      EtcdMember first = etcd.members().get(0);
      try (Client client = clientStartingOn(etcd, first)) {
        put(client, "/before", "1");

        first.kill();
        // a write that was already on its way over the dying connection is ambiguous ("Broken
        // pipe" after the headers left, or no answer until the connection is seen dead, which a
        // loaded machine may take longer than this test waits for): it is handed back, not
        // repeated, and the client moves on
        Throwable ambiguous =
            org.assertj.core.api.Assertions.catchThrowable(() -> put(client, "/first", "x"));
        if (ambiguous != null && !(ambiguous instanceof java.util.concurrent.TimeoutException)) {
          // gRPC names a connection lost mid-call UNAVAILABLE, or UNKNOWN "channel closed"
          assertThat(ambiguous.getMessage()).containsAnyOf("UNAVAILABLE", "channel closed");
        }

        // the two left elect a leader first if the killed one led (seconds on a loaded machine)
        awaitWritable(etcd, etcd.members().get(1));
        for (int i = 0; i < 5; i++) {
          put(client, "/after-kill/" + i, "x");
        }
        assertThat(createOnly(client, "/guarded").isSucceeded()).isTrue();
        assertThat(get(client, "/before")).isEqualTo("1");
      }
    }
  }

  @Test
  void withoutAnyMemberThatHasALeaderTheCallFailsAfterItsBoundedRetries() throws Exception {
    try (EtcdCluster etcd = EtcdCluster.startTemporary(3)) {
      try (Client client = clientStartingOn(etcd, etcd.members().get(0))) {
        put(client, "/before", "1");
        etcd.members().get(2).kill();
        etcd.members().get(1).kill();
        awaitNoLeader(etcd, etcd.members().get(0));

        // one member alive without a leader, two gone: nothing to move to, so after trying each
        // member twice it fails with the last refusal (it neither hangs nor loops)
        Throwable refused =
            org.assertj.core.api.Assertions.catchThrowable(() -> put(client, "/never", "x"));

        assertThat(refused)
            .isInstanceOf(java.util.concurrent.ExecutionException.class)
            .hasMessageContaining("UNAVAILABLE");
      }
    }
  }

  private static EtcdCluster startInCgroups(NetworkCuts cuts) {
    // fixed ports (client 2i, peer 2i + 1 above the base) so that the cuts know the peer ports;
    // below Linux's ephemeral range, tried again on another base if one was taken
    for (int attempt = 1; ; attempt++) {
      int base = 20_000 + 2 * ThreadLocalRandom.current().nextInt(4_000);
      for (int i = 0; i < 3; i++) {
        cuts.listens("etcd-" + i, NetworkCuts.Ports.tcp(base + 2 * i, base + 2 * i + 1));
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("mpcw-failover-");
        return EtcdCluster.start(
            3,
            dir,
            base,
            EtcdPki.in(dir.resolve("pki")),
            cuts.wrapper(dir, EtcdBinary.locate(), "--name"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (IllegalStateException e) {
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /** A client that starts on {@code first} (the others follow in the cluster's order). */
  private static Client clientStartingOn(EtcdCluster etcd, EtcdMember first) {
    List<String> endpoints =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(first), etcd.members().stream().filter(m -> m != first))
            .map(EtcdMember::clientUrl)
            .toList();
    return EtcdClients.connect(
        endpoints,
        etcd.pki().tls(ClusterPki.ETCD_ROOT),
        EtcdFailover.DEFAULTS.startingAtFirstMember());
  }

  /** Until the member, asked alone, refuses with "no leader" (a cut-off leader steps down). */
  private static void awaitWritable(EtcdCluster etcd, EtcdMember member) {
    try (Client alone =
        EtcdClients.connect(List.of(member.clientUrl()), etcd.pki().tls(ClusterPki.ETCD_ROOT))) {
      assertThat(
              Processes.await(
                  Duration.ofSeconds(30),
                  () -> {
                    try {
                      alone.getKVClient().put(bytes("/probe"), bytes("x")).get(2, TimeUnit.SECONDS);
                      return true;
                    } catch (Exception e) {
                      return false;
                    }
                  }))
          .as(member.name() + " takes a write once the majority has a leader")
          .isTrue();
    }
  }

  private static void awaitNoLeader(EtcdCluster etcd, EtcdMember member) {
    try (Client alone =
        EtcdClients.connect(List.of(member.clientUrl()), etcd.pki().tls(ClusterPki.ETCD_ROOT))) {
      assertThat(
              Processes.await(
                  Duration.ofSeconds(30),
                  () -> {
                    try {
                      alone.getKVClient().put(bytes("/probe"), bytes("x")).get(2, TimeUnit.SECONDS);
                      return false;
                    } catch (Exception e) {
                      return String.valueOf(e.getMessage()).contains("no leader");
                    }
                  }))
          .as(member.name() + " refuses with no leader")
          .isTrue();
    }
  }

  private static void put(Client client, String key, String value) throws Exception {
    client
        .getKVClient()
        .put(bytes(key), bytes(value), PutOption.DEFAULT)
        .get(CALL.toSeconds(), TimeUnit.SECONDS);
  }

  private static String get(Client client, String key) throws Exception {
    return client
        .getKVClient()
        .get(bytes(key))
        .get(CALL.toSeconds(), TimeUnit.SECONDS)
        .getKvs()
        .get(0)
        .getValue()
        .toString(StandardCharsets.UTF_8);
  }

  private static TxnResponse createOnly(Client client, String key) throws Exception {
    return client
        .getKVClient()
        .txn()
        .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(bytes(key), bytes("created"), PutOption.DEFAULT))
        .commit()
        .get(CALL.toSeconds(), TimeUnit.SECONDS);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
