package io.mpcw.orchestrator.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.etcd.EtcdClients;
import io.mpcw.etcd.EtcdTlsFiles;
import io.mpcw.orchestrator.voting.VoteExchanges;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.votes.VoteRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Load driver for the whole vote path against a running local cluster ({@code ./mpcw up}): the
 * orchestrator's own vote sender ({@link VoteExchanges}) with the orchestrator's certificate → QUIC
 * → node policy, signature, etcd transaction → response, once with each vote sent alone and once
 * coalescing (the default: one exchange in flight per node, what waited sent as one batch and
 * recorded in one etcd transaction); then, in the same run and at the same concurrency, raw
 * vote-shaped etcd transactions through jetcd. Prints all three and the ratios. Loopback only,
 * bounded in time.
 *
 * <p>Arguments: the cluster's home ({@code .mpcw}, or {@code MPCW_HOME}), nodes, port offset
 * ({@code MPCW_PORT_OFFSET}), concurrency levels (comma-separated, e.g. {@code 1,5,32}), warm-up
 * seconds, measured seconds. Every level runs the vote path and then raw etcd; a table at the end
 * puts them side by side.
 */
public final class VoteBench {
  private static final int NODE_QUIC_BASE = 7100;
  private static final int ETCD_CLIENT_PORT = 52379;

  private VoteBench() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : ".mpcw");
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int offset = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    List<Integer> levels = new ArrayList<>();
    for (String level : (args.length > 3 ? args[3] : "1,5,32").split(",")) {
      levels.add(Integer.parseInt(level.trim()));
    }
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    int measure = args.length > 5 ? Integer.parseInt(args[5]) : 20;
    ClusterPki pki = new ClusterPki(home.resolve("pki"));
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      endpoints.add(new Endpoint("127.0.0.1", NODE_QUIC_BASE + offset + i, "node-" + i));
    }
    String etcdEndpoint = "https://127.0.0.1:" + (ETCD_CLIENT_PORT + offset);
    UUID wallet = UUID.randomUUID();
    String recipient = "bcrt1pqypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwxqergd3c8g7rusq58nmtx";
    AtomicLong sequence = new AtomicLong();
    long runId = UUID.randomUUID().getMostSignificantBits();

    System.out.printf(
        "conditions: %d nodes, concurrency %s, warm-up %d s, measured %d s per run, %d cores,"
            + " load %s%n",
        nodes, levels, warmup, measure, Runtime.getRuntime().availableProcessors(), load());
    List<String> rows = new ArrayList<>();
    try (QuicTransportClient client =
            new QuicTransportClient(
                pki.loadIdentity("orchestrator"),
                pki.caCertificate(),
                TransportSettings.defaults(),
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        // the cluster's etcd as the operator (the raw runs write outside the cluster's prefix)
        Client etcd =
            EtcdClients.connect(
                etcdEndpoint, EtcdTlsFiles.inPkiDirectory(home.resolve("pki"), "root"))) {
      // the orchestrator's own sender: one exchange in flight per node, batches of what waited
      VoteExchanges coalescing = new VoteExchanges(client, Runnable::run, true, n -> {});
      VoteExchanges alone = new VoteExchanges(client, Runnable::run, false, n -> {});
      Function<VoteExchanges, Supplier<CompletableFuture<?>>> votesThrough =
          exchanges ->
              () -> {
                long n = sequence.getAndIncrement();
                Endpoint node = endpoints.get((int) (n % endpoints.size()));
                UUID tx = new UUID(runId, n / endpoints.size());
                return exchanges.ask(
                    node,
                    new VoteRequest(tx, wallet, recipient, 10_000, null),
                    Duration.ofSeconds(10));
              };
      KV kv = etcd.getKVClient();
      String run = UUID.randomUUID().toString();
      Supplier<CompletableFuture<?>> txn =
          () -> {
            long n = sequence.getAndIncrement();
            ByteSequence voteKey = bytes("/mpcw-bench/" + run + "/votes/" + n);
            ByteSequence decision = bytes("/mpcw-bench/" + run + "/decisions/" + n);
            // the same shape as a vote: create the key unless it or the decision exists
            return kv.txn()
                .If(
                    new Cmp(voteKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                    new Cmp(decision, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(voteKey, bytes("{\"vote\":\"" + n + "\"}"), PutOption.DEFAULT))
                .Else(Op.get(voteKey, GetOption.DEFAULT), Op.get(decision, GetOption.DEFAULT))
                .commit();
          };
      for (int concurrency : levels) {
        String loadAtStart = load();
        Result single =
            run(
                "vote path, each vote alone, c=" + concurrency,
                votesThrough.apply(alone),
                concurrency,
                warmup,
                measure);
        Result votes =
            run(
                "vote path, coalescing (default), c=" + concurrency,
                votesThrough.apply(coalescing),
                concurrency,
                warmup,
                measure);
        Result raw =
            run(
                "raw etcd vote-shaped txn (jetcd), c=" + concurrency,
                txn,
                concurrency,
                warmup,
                measure);
        rows.add(
            String.format(
                "| %d (load %s) | %.0f votes/s, p50 %.1f ms, p99 %.0f ms (%.2f) | %.0f votes/s, p50"
                    + " %.1f ms, p99 %.0f ms | %.0f txn/s, p50 %.1f ms, p99 %.0f ms | %.2f |",
                concurrency,
                loadAtStart,
                single.perSecond(),
                single.p50Ms(),
                single.p99Ms(),
                single.perSecond() / raw.perSecond(),
                votes.perSecond(),
                votes.p50Ms(),
                votes.p99Ms(),
                raw.perSecond(),
                raw.p50Ms(),
                raw.p99Ms(),
                votes.perSecond() / raw.perSecond()));
      }
      kv.delete(
              bytes("/mpcw-bench/" + run + "/"),
              io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build())
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    System.out.println();
    System.out.println(
        "| concurrency | vote path, each alone (ratio) | vote path, coalescing | raw etcd txn |"
            + " ratio, coalescing (throughput) |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  record Result(double perSecond, double p50Ms, double p99Ms, long errors) {}

  private static Result run(
      String name, Supplier<CompletableFuture<?>> op, int concurrency, int warmup, int measure)
      throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup * 1_000_000_000L;
    long end = measureFrom + measure * 1_000_000_000L;
    while (System.nanoTime() < end) {
      slots.acquire();
      long t0 = System.nanoTime();
      op.get()
          .whenComplete(
              (ok, failure) -> {
                long t1 = System.nanoTime();
                if (t0 >= measureFrom && t1 <= end) {
                  if (failure == null) {
                    latencies.add(t1 - t0);
                  } else {
                    errors.incrementAndGet();
                  }
                }
                slots.release();
              });
    }
    slots.acquire(concurrency);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double perSecond = sorted.size() / (double) measure;
    Result result =
        new Result(perSecond, percentile(sorted, 0.50), percentile(sorted, 0.99), errors.get());
    System.out.printf(
        "%-45s %8.0f ops/s   p50 %7.2f ms   p99 %7.2f ms   errors %d   (%d ops measured)%n",
        name, result.perSecond(), result.p50Ms(), result.p99Ms(), result.errors(), sorted.size());
    return result;
  }

  private static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size()))) / 1e6;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
