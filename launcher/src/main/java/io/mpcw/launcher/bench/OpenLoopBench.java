package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.cluster.Recipients;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./mpcw bench --rate R --seconds S}: an open-loop payment benchmark on the running local
 * cluster. Funds the default wallet with one coin per payment, measures the cluster's idle CPU,
 * then POSTs payments at exactly R per second for S seconds whatever the answers (unique {@code
 * Idempotency-Key}s, no polling while sending), waits a bounded time for them to reach the target
 * state, and reads each payment's history once at the end. Prints the conditions, offered against
 * achieved rate, answers by kind, POST→signed and POST→confirmed percentiles, failures by state and
 * reason, the signing sessions per payment, and the CPU seconds each process spent per payment.
 * With {@code --faulty-signer}, one wallet participant is restarted in that signing fault before
 * the run and honest after it. Loopback only.
 */
public final class OpenLoopBench {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * What to run.
   *
   * @param rate payments per second offered
   * @param seconds length of the send window
   * @param until {@code signed} or {@code confirmed}: the state the bench waits for
   * @param coins coins of the default wallet to have before sending (one per payment)
   * @param amountSats amount of each payment
   * @param drain the longest wait for payments to reach {@code until} after the send window
   * @param idle length of the idle CPU baseline before the load
   * @param faultySigner the {@link FaultySigner} mode one participant runs in, when asked
   */
  public record Options(
      double rate,
      int seconds,
      String until,
      int coins,
      long amountSats,
      Duration drain,
      Duration idle,
      Optional<String> faultySigner) {
    public int count() {
      return (int) Math.round(rate * seconds);
    }

    /**
     * The options as given, checked; {@code coins} null is one coin per payment with a margin.
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    public static Options of(
        double rate,
        int seconds,
        String until,
        Integer coins,
        long amountSats,
        int drain,
        int idle,
        String faultySigner) {
      if (!(rate >= 0.1 && rate <= 200)) {
        throw new IllegalArgumentException("--rate takes a number from 0.1 to 200.0");
      }
      within("--seconds", seconds, 1, 600);
      if (!until.equals("signed") && !until.equals("confirmed")) {
        throw new IllegalArgumentException("--until takes signed or confirmed, not " + until);
      }
      int count = (int) Math.round(rate * seconds);
      if (count < 1 || count > 20_000) {
        throw new IllegalArgumentException(
            "--rate × --seconds must make 1 to 20000 payments, not " + count);
      }
      // a margin over one coin per payment: coins of payments still in flight are not listed
      int coinCount = coins != null ? coins : count + count / 10 + 5;
      within("--coins", coinCount, 1, 30_000);
      within("--amount", amountSats, 546, 100_000_000);
      within("--drain", drain, 1, 1800);
      within("--idle", idle, 1, 120);
      return new Options(
          rate,
          seconds,
          until,
          coinCount,
          amountSats,
          Duration.ofSeconds(drain),
          Duration.ofSeconds(idle),
          Optional.ofNullable(faultySigner).map(FaultySigner::checked));
    }

    private static void within(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            option + " takes a whole number from " + min + " to " + max);
      }
    }
  }

  private final Layout layout;
  private final Credentials credentials;
  private final ChainClient chain;
  private final OrchestratorApi api;

  public OpenLoopBench(Layout layout, Credentials credentials, ChainClient chain) {
    this.layout = layout;
    this.credentials = credentials;
    this.chain = chain;
    this.api = OrchestratorApi.local(layout, credentials);
  }

  public int run(Options options) throws Exception {
    JsonNode wallet =
        api.awaitDefaultWallet(Duration.ofSeconds(30))
            .orElseThrow(
                () -> new IllegalStateException("no ready default wallet: ./mpcw up first"));
    String address = wallet.path("address").asText();
    long coinSats = options.amountSats() * 2 + 10_000;
    fund(address, options.coins(), coinSats);
    Optional<FaultySigner> faulty =
        options.faultySigner().map(m -> FaultySigner.of(layout, credentials, m, wallet));
    faulty.ifPresent(FaultySigner::inject);
    try {
      return run(options, wallet, faulty);
    } finally {
      faulty.ifPresent(FaultySigner::heal);
    }
  }

  private int run(Options options, JsonNode wallet, Optional<FaultySigner> faulty)
      throws Exception {

    ClusterCpu cpu = new ClusterCpu(layout);
    System.out.printf("measuring idle CPU for %d s ...%n", options.idle().toSeconds());
    ClusterCpu.Snapshot idleFrom = cpu.snapshot();
    Processes.sleep(options.idle().toMillis());
    ClusterCpu.Snapshot idleTo = cpu.snapshot();

    String loadBefore = ProcFs.loadAverage();
    new BenchConditions(layout).print(options, wallet, loadBefore, faulty);
    String recipient = Recipients.random();
    String run = "olb-" + Long.toString(System.currentTimeMillis(), 36);
    OpenLoopSender sender =
        new OpenLoopSender(
            URI.create(layout.orchestratorUrl() + "/api/v1/transactions"),
            credentials.submitKey(),
            REQUEST_TIMEOUT);
    EtcdCounters etcd = new EtcdCounters(layout.etcdMetricsTargets());
    Optional<EtcdCounters.Snapshot> etcdFrom = etcd.snapshot();
    long selfFrom = ProcFs.cpuTicks(ProcessHandle.current().pid()).orElse(0L);
    ClusterCpu.Snapshot from = cpu.snapshot();
    Instant firstSend = Instant.now();
    List<OpenLoopSender.Sent> sent;
    try {
      System.out.printf(
          "sending %d payments at %.2f/s for %d s ...%n",
          options.count(), options.rate(), options.seconds());
      sent =
          sender.send(
              options.rate(),
              options.count(),
              run,
              i ->
                  "{\"recipient\":\""
                      + recipient
                      + "\",\"amount_sats\":"
                      + options.amountSats()
                      + "}");
      Instant sendEnd = Instant.now();
      long unanswered = OpenLoopSender.awaitAnswers(sent, REQUEST_TIMEOUT.plusSeconds(5));
      Map<String, OpenLoopSender.Sent> accepted = new LinkedHashMap<>();
      for (OpenLoopSender.Sent s : sent) {
        s.answerNow()
            .filter(OpenLoopSender.Answer::accepted)
            .ifPresent(a -> accepted.put(a.body().path("id").asText(), s));
      }
      System.out.printf(
          "send window over after %.1f s; %d accepted; waiting up to %d s for %s ...%n",
          OpenLoopReport.seconds(firstSend, sendEnd),
          accepted.size(),
          options.drain().toSeconds(),
          options.until());
      Map<String, String> states =
          new PaymentDrain(api)
              .await(accepted.keySet(), firstSend, options.until(), options.drain());
      ClusterCpu.Snapshot to = cpu.snapshot();
      Optional<EtcdCounters.Snapshot> etcdTo = etcd.snapshot();
      long selfTo = ProcFs.cpuTicks(ProcessHandle.current().pid()).orElse(0L);
      String loadAfter = ProcFs.loadAverage();
      Map<String, JsonNode> details = details(accepted.keySet());
      OpenLoopReport.print(
          options,
          faulty.map(FaultySigner::node),
          sent,
          unanswered,
          accepted,
          details,
          states,
          firstSend,
          ClusterCpu.usage(idleFrom, idleTo, from, to),
          (selfTo - selfFrom) / (double) ProcFs.TICKS_PER_SECOND,
          loadBefore,
          loadAfter);
      if (etcdFrom.isPresent() && etcdTo.isPresent()) {
        EtcdCounters.Snapshot etcdRun = etcdTo.get().minus(etcdFrom.get());
        System.out.println(EtcdCounters.perPayment(etcdRun, accepted.size()));
        System.out.println(EtcdCounters.fsyncs(etcdRun));
      }
    } finally {
      sender.close();
    }
    return 0;
  }

  private void fund(String address, int coins, long sats) {
    long have = chain.unspent(address).stream().filter(u -> u.valueSats() >= sats).count();
    if (have >= coins) {
      System.out.printf("the default wallet holds %d coins of >= %d sats: enough%n", have, sats);
      return;
    }
    for (long i = have; i < coins; i++) {
      chain.sendToAddress(address, sats);
    }
    chain.mine(1, address);
    Instant deadline = Instant.now().plusSeconds(60);
    while (chain.unspent(address).stream().filter(u -> u.valueSats() >= sats).count() < coins
        && Instant.now().isBefore(deadline)) {
      Processes.sleep(200);
    }
    System.out.printf("funded the default wallet with %d coins of %d sats%n", coins - have, sats);
  }

  /** Each payment with its history, read once after the measured window (4 at a time). */
  private Map<String, JsonNode> details(Set<String> ids) throws InterruptedException {
    Map<String, JsonNode> out = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (String id : ids) {
      pool.submit(() -> api.get("/api/v1/transactions/" + id).ifPresent(tx -> out.put(id, tx)));
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
    return out;
  }
}
