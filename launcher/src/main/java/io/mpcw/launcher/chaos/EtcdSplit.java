package io.mpcw.launcher.chaos;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.mpcw.embedded.etcd.EtcdMember;
import io.mpcw.embedded.etcd.EtcdPki;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.transport.pki.ClusterPki;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Seed 002's split-brain case on real processes: the 5-member etcd is split 2 | 3, the old leader
 * on the minority side, while the payments flow (every client still reaches every member). The
 * majority must elect a leader and keep deciding; a write sent through a minority member must not
 * succeed; after healing, every member must hold one history: the same KV hash at one revision, the
 * majority's probe present everywhere and the minority's probes nowhere.
 */
final class EtcdSplit {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private final ChaosCluster cluster;
  private final String prefix = "/mpcw-chaos/split/" + UUID.randomUUID() + "/";
  private final List<EtcdMember> minority = new ArrayList<>();
  private final List<EtcdMember> majority = new ArrayList<>();
  private boolean majorityProbeWritten;

  private EtcdSplit(ChaosCluster cluster) {
    this.cluster = cluster;
  }

  static Fault fault(ChaosCluster cluster, PaymentLoad load) {
    EtcdSplit split = new EtcdSplit(cluster);
    PartitionFaults.Cut fault =
        new PartitionFaults.Cut(
            load,
            cluster.cuts(),
            "etcd split 2 | 3, the leader on the minority side; clients still reach every member",
            "the majority elects a leader and accepts writes, the minority accepts none, one"
                + " history after healing, and payments keep confirming during the split (the"
                + " services' etcd clients move off a member without a leader)",
            split::cut,
            split::probe) {
          @Override
          void afterHeal() {
            split.oneHistory(notes, violations);
          }
        };
    return fault;
  }

  private void cut(List<String> notes) {
    EtcdMember leader =
        cluster
            .etcdLeader()
            .orElseThrow(() -> new IllegalStateException("etcd has no leader before the split"));
    minority.clear();
    majority.clear();
    minority.add(leader);
    for (EtcdMember m : cluster.etcdMembers()) {
      if (m != leader) {
        (minority.size() < 2 ? minority : majority).add(m);
      }
    }
    cluster.cuts().cut(names(minority), names(majority));
    notes.add("minority " + names(minority) + " (first was leader), majority " + names(majority));
  }

  /** Halfway through: who leads, and where a write can land. */
  private void probe(List<String> notes) {
    Map<EtcdMember, Optional<StatusResponse>> status = statuses(cluster.etcdMembers());
    Set<Long> majorityIds = new HashSet<>();
    for (EtcdMember m : majority) {
      status.get(m).ifPresent(s -> majorityIds.add(s.getHeader().getMemberId()));
    }
    Set<Long> leadersSeenByMajority = new HashSet<>();
    for (EtcdMember m : majority) {
      status.get(m).ifPresent(s -> leadersSeenByMajority.add(s.getLeader()));
    }
    if (leadersSeenByMajority.size() != 1 || !majorityIds.containsAll(leadersSeenByMajority)) {
      throw new PartitionFaults.PromiseBroken(
          "the majority did not agree on a leader among itself: leaders seen "
              + leadersSeenByMajority
              + ", majority ids "
              + majorityIds);
    }
    notes.add("majority elected a leader of its own; writes through each side:");
    majorityProbeWritten = put(majority.get(0), prefix + "majority");
    if (!majorityProbeWritten) {
      throw new PartitionFaults.PromiseBroken(
          "a write through the majority member " + majority.get(0).name() + " failed");
    }
    notes.add("  through " + majority.get(0).name() + " (majority): written");
    for (EtcdMember m : minority) {
      boolean written = put(m, prefix + "minority-" + m.name());
      notes.add("  through " + m.name() + " (minority): " + (written ? "WRITTEN" : "refused"));
      if (written) {
        throw new PartitionFaults.PromiseBroken(
            "a write through the minority member " + m.name() + " succeeded: split brain");
      }
    }
  }

  /** After healing: every member on one history, the probes where they belong. */
  private void oneHistory(List<String> notes, List<String> violations) {
    Instant deadline = Instant.now().plusSeconds(60);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      Processes.sleep(3_000);
      Optional<String> disagreement = compare();
      if (disagreement.isEmpty()) {
        notes.add(
            "after healing: one history (every member: same KV hash at one revision, the"
                + " majority's write present, no minority write)");
        return;
      }
      last = disagreement.get();
    }
    violations.add("after healing, the members did not converge on one history: " + last);
  }

  private Optional<String> compare() {
    List<EtcdMember> all = cluster.etcdMembers();
    Map<EtcdMember, Optional<StatusResponse>> status = statuses(all);
    if (status.values().stream().anyMatch(Optional::isEmpty)) {
      return Optional.of("a member did not answer its status");
    }
    Set<Long> leaders = new HashSet<>();
    long revision = Long.MAX_VALUE;
    for (Optional<StatusResponse> s : status.values()) {
      leaders.add(s.get().getLeader());
      revision = Math.min(revision, s.get().getHeader().getRevision());
    }
    if (leaders.size() != 1) {
      return Optional.of("members name different leaders " + leaders);
    }
    Set<Integer> hashes = new HashSet<>();
    for (EtcdMember m : all) {
      try (Client c = client(m)) {
        hashes.add(
            c.getMaintenanceClient()
                .hashKV(m.clientUrl(), revision)
                .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .getHash());
        if (majorityProbeWritten && !present(c, prefix + "majority")) {
          return Optional.of(m.name() + " lacks the majority's write");
        }
        for (EtcdMember x : minority) {
          if (present(c, prefix + "minority-" + x.name())) {
            return Optional.of(m.name() + " holds the write sent through " + x.name());
          }
        }
      } catch (Exception e) {
        return Optional.of(m.name() + ": " + e.getMessage());
      }
    }
    return hashes.size() == 1
        ? Optional.empty()
        : Optional.of(hashes.size() + " different KV hashes at revision " + revision);
  }

  private Map<EtcdMember, Optional<StatusResponse>> statuses(List<EtcdMember> members) {
    Map<EtcdMember, Optional<StatusResponse>> out = new LinkedHashMap<>();
    for (EtcdMember m : members) {
      try (Client c = client(m)) {
        out.put(
            m,
            Optional.of(
                c.getMaintenanceClient()
                    .statusMember(m.clientUrl())
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
      } catch (Exception e) {
        out.put(m, Optional.empty());
      }
    }
    return out;
  }

  /** A put through this member only; false when it fails or times out. */
  private boolean put(EtcdMember member, String key) {
    try (Client c = client(member)) {
      c.getKVClient()
          .put(bytes(key), bytes("written through " + member.name()))
          .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** A serializable read answers from this member's own store, without asking the leader. */
  private static boolean present(Client c, String key) throws Exception {
    return c.getKVClient()
            .get(bytes(key), GetOption.builder().withSerializable(true).build())
            .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .getCount()
        > 0;
  }

  private Client client(EtcdMember member) {
    return EtcdClients.connect(
        List.of(member.clientUrl()), EtcdPki.in(cluster.layout().pki()).tls(ClusterPki.ETCD_ROOT));
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static List<String> names(List<EtcdMember> members) {
    return members.stream().map(EtcdMember::name).toList();
  }
}
