package io.mpcw.launcher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What etcd was asked over a run, from its members' own Prometheus counters (the plain-HTTP metrics
 * listener of each member): key-value requests by kind, the Raft proposals committed and the WAL
 * fsyncs. Divided by the payments, these say how many round trips and Raft entries a payment costs,
 * which CPU figures alone cannot separate from the noise of a 2-core machine; the fsyncs' mean
 * duration says how fast the disk was, which sets the latency of every vote, decision and share
 * record (it varies several-fold between machines and hours).
 */
final class EtcdCounters {
  /** Counters summed over the members, except proposals: every member commits each one. */
  record Snapshot(
      double txn,
      double range,
      double put,
      double proposals,
      double fsyncs,
      double fsyncSeconds,
      int members) {
    Snapshot minus(Snapshot earlier) {
      return new Snapshot(
          txn - earlier.txn,
          range - earlier.range,
          put - earlier.put,
          proposals - earlier.proposals,
          fsyncs - earlier.fsyncs,
          fsyncSeconds - earlier.fsyncSeconds,
          members);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final List<String> targets;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * @param targets each member's metrics listener, {@code host:port}
   */
  EtcdCounters(List<String> targets) {
    this.targets = List.copyOf(targets);
  }

  /** Empty when a member's metrics cannot be read (the line is then left out of the report). */
  Optional<Snapshot> snapshot() {
    double txn = 0;
    double range = 0;
    double put = 0;
    double proposals = 0;
    double fsyncs = 0;
    double fsyncSeconds = 0;
    for (String target : targets) {
      String page;
      try {
        page =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://" + target + "/metrics"))
                        .timeout(TIMEOUT)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
      } catch (java.io.IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      txn += sum(page, "grpc_server_handled_total{", "grpc_method=\"Txn\"");
      range += sum(page, "grpc_server_handled_total{", "grpc_method=\"Range\"");
      put += sum(page, "grpc_server_handled_total{", "grpc_method=\"Put\"");
      proposals = Math.max(proposals, sum(page, "etcd_server_proposals_committed_total", ""));
      fsyncs += sum(page, "etcd_disk_wal_fsync_duration_seconds_count", "");
      fsyncSeconds += sum(page, "etcd_disk_wal_fsync_duration_seconds_sum", "");
    }
    return Optional.of(
        new Snapshot(txn, range, put, proposals, fsyncs, fsyncSeconds, targets.size()));
  }

  /**
   * The sum of the samples of {@code metric} (a name, or a name and "{") whose line has {@code
   * label}.
   */
  static double sum(String page, String metric, String label) {
    double total = 0;
    for (String line : page.split("\n")) {
      if (line.startsWith(metric) && line.contains(label)) {
        String value = line.substring(line.lastIndexOf(' ') + 1).trim();
        try {
          total += Double.parseDouble(value);
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
    }
    return total;
  }

  /** One line: the run's etcd requests per accepted payment. */
  static String perPayment(Snapshot run, long payments) {
    if (payments <= 0) {
      return "etcd per accepted payment: no payment was accepted";
    }
    double n = payments;
    return String.format(
        "etcd per accepted payment: %.2f Txn, %.2f Range, %.2f Put requests; %.2f Raft proposals"
            + " committed; %.2f WAL fsyncs (%d member(s), summed)",
        run.txn() / n,
        run.range() / n,
        run.put() / n,
        run.proposals() / n,
        run.fsyncs() / n,
        run.members());
  }

  /** One line: how long etcd's WAL fsyncs of the run took on average (the disk's speed). */
  static String fsyncs(Snapshot run) {
    if (run.fsyncs() < 1) {
      return "etcd WAL fsyncs: none in the run";
    }
    return String.format(
        "etcd WAL fsyncs: %.2f ms on average over %.0f (every vote, decision and share record waits"
            + " for one)",
        1000 * run.fsyncSeconds() / run.fsyncs(), run.fsyncs());
  }
}
