package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.cluster.Recipients;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./mpcw bench}: the whole payment path on a running local cluster. Funds the default wallet
 * with one coin per payment, then {@code clients} concurrent clients each submit payments one after
 * another and follow them to {@code confirmed}. Prints throughput to {@code signed} and to {@code
 * confirmed}, and p50/p99 of the time spent in each state (from the API's history), then the DKG
 * time of new 3-of-n wallets.
 */
public final class PaymentBench {
  private static final Duration PAYMENT_TIMEOUT = Duration.ofMinutes(3);

  private final Layout layout;
  private final Credentials credentials;
  private final ChainClient chain;
  private final OrchestratorApi api;

  public PaymentBench(Layout layout, Credentials credentials, ChainClient chain) {
    this.layout = layout;
    this.credentials = credentials;
    this.chain = chain;
    this.api = OrchestratorApi.local(layout, credentials);
  }

  public int run(int clients, int payments, long amountSats, int dkgRounds) throws Exception {
    JsonNode wallet =
        api.awaitDefaultWallet(Duration.ofSeconds(30))
            .orElseThrow(
                () -> new IllegalStateException("no ready default wallet: ./mpcw up first"));
    String address = wallet.path("address").asText();
    System.out.printf(
        "date: %s; nodes: %d; cores: %d; jdk: %s; clients: %d; payments: %d; amount: %d sats;"
            + " block interval: %s%n",
        OffsetDateTime.now(),
        layout.nodes(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        clients,
        payments,
        amountSats,
        System.getenv().getOrDefault("MPCW_CHAIN_BLOCK_INTERVAL", "2s (default)"));
    fund(address, payments, amountSats * 2 + 10_000);

    String recipient = Recipients.random();
    ConcurrentLinkedQueue<JsonNode> finished = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    Instant start = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.submit(
          () -> {
            while (next.getAndIncrement() < payments) {
              finished.add(payAndFollow(recipient, amountSats));
            }
            return null;
          });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    report(start, List.copyOf(finished));
    if (dkgRounds > 0) {
      dkg(dkgRounds);
    }
    return 0;
  }

  private void fund(String address, int coins, long sats) {
    long have = chain.unspent(address).stream().filter(u -> u.valueSats() >= sats).count();
    if (have >= coins) {
      System.out.printf("wallet %s already holds %d coins of >= %d sats%n", address, have, sats);
      return;
    }
    for (long i = have; i < coins; i++) {
      chain.sendToAddress(address, sats);
    }
    chain.mine(1, address);
    Instant deadline = Instant.now().plusSeconds(30);
    while (chain.unspent(address).size() < coins && Instant.now().isBefore(deadline)) {
      Processes.sleep(200);
    }
    System.out.printf("funded %s with %d coins of %d sats%n", address, coins - have, sats);
  }

  private JsonNode payAndFollow(String recipient, long amountSats) {
    String body = "{\"recipient\":\"" + recipient + "\",\"amount_sats\":" + amountSats + "}";
    OrchestratorApi.Answer created =
        api.post("/api/v1/transactions", credentials.submitKey(), body, Duration.ofSeconds(10))
            .orElseThrow(() -> new IllegalStateException("the orchestrator is unreachable"));
    if (created.status() != 201) {
      throw new IllegalStateException("POST answered " + created.status() + ": " + created.body());
    }
    String path = "/api/v1/transactions/" + created.body().path("id").asText();
    Instant deadline = Instant.now().plus(PAYMENT_TIMEOUT);
    JsonNode last = created.body();
    while (Instant.now().isBefore(deadline)) {
      last = api.get(path).orElse(last);
      if (PaymentHistory.isFinal(last)) {
        return last;
      }
      Processes.sleep(100);
    }
    return last;
  }

  private static void report(Instant start, List<JsonNode> txs) {
    Map<String, List<Double>> inState = new LinkedHashMap<>();
    PaymentHistory.STAGES.forEach(s -> inState.put(s, new ArrayList<>()));
    List<Double> toSigned = new ArrayList<>();
    List<Double> toConfirmed = new ArrayList<>();
    Instant lastSigned = start;
    Instant lastConfirmed = start;
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    for (JsonNode tx : txs) {
      outcomes.merge(tx.path("state").asText(), 1, Integer::sum);
      Instant created = Instant.parse(tx.path("created_at").asText());
      for (JsonNode h : tx.path("history")) {
        Instant at = Instant.parse(h.path("at").asText());
        String to = h.path("to").asText();
        if ("signed".equals(to)) {
          toSigned.add(seconds(created, at));
          lastSigned = at.isAfter(lastSigned) ? at : lastSigned;
        }
        if ("confirmed".equals(to)) {
          toConfirmed.add(seconds(created, at));
          lastConfirmed = at.isAfter(lastConfirmed) ? at : lastConfirmed;
        }
      }
      PaymentHistory.secondsPerState(tx.path("history"))
          .forEach(
              (state, seconds) -> {
                if (inState.containsKey(state)) {
                  inState.get(state).add(seconds);
                }
              });
    }
    System.out.println("outcomes: " + outcomes);
    System.out.printf(
        "throughput: %.2f payments/s to signed, %.2f payments/s to confirmed (wall clock from the"
            + " first POST)%n",
        toSigned.size() / Math.max(0.001, seconds(start, lastSigned)),
        toConfirmed.size() / Math.max(0.001, seconds(start, lastConfirmed)));
    System.out.printf(
        "latency POST→signed    p50 %.3f s  p99 %.3f s%n", pct(toSigned, 50), pct(toSigned, 99));
    System.out.printf(
        "latency POST→confirmed p50 %.3f s  p99 %.3f s%n",
        pct(toConfirmed, 50), pct(toConfirmed, 99));
    inState.forEach(
        (stage, values) ->
            System.out.printf(
                "  time in %-13s p50 %.3f s  p99 %.3f s  (n=%d)%n",
                stage, pct(values, 50), pct(values, 99), values.size()));
  }

  private void dkg(int rounds) {
    List<Double> took = new ArrayList<>();
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    for (int i = 0; i < rounds; i++) {
      String body = "{\"name\":\"bench-" + stamp + "-" + i + "\",\"threshold\":3}";
      long t0 = System.nanoTime();
      Optional<OrchestratorApi.Answer> answer =
          api.post("/api/v1/wallets", credentials.submitKey(), body, Duration.ofSeconds(30));
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (answer.isEmpty() || answer.get().status() != 201) {
        System.out.println(
            "DKG "
                + i
                + " answered "
                + answer.map(a -> a.status() + ": " + a.body()).orElse("nothing (unreachable)"));
        continue;
      }
      took.add(seconds);
    }
    System.out.printf(
        "DKG 3-of-%d (POST /api/v1/wallets, %d wallets, one after another): p50 %.3f s  p99 %.3f s%n",
        layout.nodes(), took.size(), pct(took, 50), pct(took, 99));
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private static double pct(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
