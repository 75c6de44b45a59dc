package io.mpcw.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

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
final class OpenLoopBench {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_EVERY = Duration.ofSeconds(1);
  private static final Set<String> SIGNED_OR_LATER = Set.of("signed", "broadcasting", "confirmed");

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
  record Options(
      double rate,
      int seconds,
      String until,
      int coins,
      long amountSats,
      Duration drain,
      Duration idle,
      Optional<String> faultySigner) {
    int count() {
      return (int) Math.round(rate * seconds);
    }

    /**
     * The options as given, checked; {@code coins} null is one coin per payment with a margin.
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    static Options of(
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

  OpenLoopBench(Layout layout, Credentials credentials, ChainClient chain) {
    this.layout = layout;
    this.credentials = credentials;
    this.chain = chain;
    this.api = OrchestratorApi.local(layout, credentials);
  }

  int run(Options options) throws Exception {
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
    conditions(options, wallet, loadBefore, faulty);
    String recipient = DemoCommand.randomRecipient();
    String run = "olb-" + Long.toString(System.currentTimeMillis(), 36);
    OpenLoopSender sender =
        new OpenLoopSender(
            URI.create(layout.orchestratorUrl() + "/api/v1/transactions"),
            credentials.submitKey(),
            REQUEST_TIMEOUT);
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
          seconds(firstSend, sendEnd),
          accepted.size(),
          options.drain().toSeconds(),
          options.until());
      Map<String, String> states = drain(accepted.keySet(), firstSend, options);
      ClusterCpu.Snapshot to = cpu.snapshot();
      long selfTo = ProcFs.cpuTicks(ProcessHandle.current().pid()).orElse(0L);
      String loadAfter = ProcFs.loadAverage();
      Map<String, JsonNode> details = details(accepted.keySet());
      report(
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

  /** Conditions of the run, read from the running processes rather than assumed. */
  private void conditions(
      Options options, JsonNode wallet, String load, Optional<FaultySigner> faulty) {
    Map<String, String> orchestratorEnv = env("orchestrator");
    Map<String, String> infraEnv = env("infra");
    String jvm =
        Processes.running(layout, "orchestrator")
            .map(h -> String.join(" ", ProcFs.jvmOptions(ProcFs.commandLine(h.pid()))))
            .orElse("unknown");
    System.out.println("== conditions");
    System.out.printf(
        "date:        %s%n",
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .format(Instant.now().atZone(ZoneOffset.UTC)));
    System.out.printf("commit:      %s%n", commit());
    System.out.printf(
        "cluster:     %d nodes, vote threshold %s, default wallet %s of %d, etcd members %s,"
            + " block interval %s%n",
        layout.nodes(),
        orchestratorEnv.getOrDefault("MPCW_THRESHOLD", "?"),
        wallet.path("threshold").asText("?"),
        wallet.path("participants").size(),
        infraEnv.getOrDefault("MPCW_ETCD_MEMBERS", "1"),
        env("chain").getOrDefault("MPCW_CHAIN_BLOCK_INTERVAL", "2s"));
    System.out.printf("service JVM: %s%n", jvm);
    System.out.printf(
        "machine:     %d cores, %s, load average %s (1/5/15 min) before%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        load);
    System.out.printf(
        "load:        open loop, %.2f payments/s for %d s (%d payments of %d sats), until %s%n",
        options.rate(), options.seconds(), options.count(), options.amountSats(), options.until());
    System.out.printf(
        "signers:     %s%n",
        faulty
            .map(
                f ->
                    f.node()
                        + " restarted before the run as "
                        + f.mode()
                        + (f.mode().equals("slow-signer") ? " (delay " + slowDelay() + ")" : "")
                        + ", honest again after it")
            .orElse("all as started"));
  }

  private static String slowDelay() {
    String delay = System.getenv("MPCW_NODE_SLOW_SIGNER_DELAY");
    return delay == null || delay.isBlank() ? "2s, the default" : delay;
  }

  private Map<String, String> env(String process) {
    return Processes.running(layout, process)
        .map(h -> ProcFs.environment(h.pid()))
        .orElse(Map.of());
  }

  private String commit() {
    try {
      Process git =
          new ProcessBuilder(
                  "git", "-C", layout.repo().toString(), "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "unknown";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /**
   * Waits until every accepted payment has reached {@code until} (or a final state), reading the
   * newest-first list once per second: a few requests per poll, not one per payment.
   */
  private Map<String, String> drain(Set<String> ids, Instant since, Options options) {
    Map<String, String> states = new HashMap<>();
    Instant deadline = Instant.now().plus(options.drain());
    while (true) {
      states.putAll(listStates(ids, since));
      long open = ids.stream().filter(id -> !reached(states.get(id), options.until())).count();
      if (open == 0 || !Instant.now().isBefore(deadline)) {
        if (open > 0) {
          System.out.printf(
              "%d payments had not reached %s when the wait ended%n", open, options.until());
        }
        return states;
      }
      Processes.sleep(POLL_EVERY.toMillis());
    }
  }

  private Map<String, String> listStates(Set<String> ids, Instant since) {
    Map<String, String> states = new HashMap<>();
    String cursor = null;
    Instant oldestWanted = since.minusSeconds(5);
    do {
      String path =
          "/api/v1/transactions?limit=200"
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      Optional<JsonNode> page = api.get(path);
      if (page.isEmpty()) {
        return states;
      }
      Instant oldestOnPage = Instant.MAX;
      for (JsonNode tx : page.get().path("transactions")) {
        String id = tx.path("id").asText();
        if (ids.contains(id)) {
          states.put(id, tx.path("state").asText());
        }
        oldestOnPage = Instant.parse(tx.path("created_at").asText());
      }
      JsonNode next = page.get().path("next_cursor");
      cursor =
          next.isTextual() && oldestOnPage.isAfter(oldestWanted) && states.size() < ids.size()
              ? next.asText()
              : null;
    } while (cursor != null);
    return states;
  }

  static boolean reached(String state, String until) {
    if (state == null) {
      return false;
    }
    return PaymentHistory.isFinalState(state)
        || (until.equals("signed") && SIGNED_OR_LATER.contains(state));
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

  private void report(
      Options options,
      Optional<String> faultyNode,
      List<OpenLoopSender.Sent> sent,
      long unanswered,
      Map<String, OpenLoopSender.Sent> accepted,
      Map<String, JsonNode> details,
      Map<String, String> drainStates,
      Instant firstSend,
      List<ClusterCpu.Usage> cpu,
      double benchCpu,
      String loadBefore,
      String loadAfter) {
    System.out.println("== offered and achieved");
    long late = sent.stream().filter(s -> s.lateNanos() > OpenLoopSender.LATE.toNanos()).count();
    double maxLateMs =
        sent.stream().mapToLong(OpenLoopSender.Sent::lateNanos).max().orElse(0) / 1e6;
    System.out.printf(
        "offered:     %.2f/s, %d sends; %d left more than %d ms late (latest %.1f ms)%n",
        options.rate(), sent.size(), late, OpenLoopSender.LATE.toMillis(), maxLateMs);
    List<OpenLoopSender.Answer> answers =
        sent.stream().flatMap(s -> s.answerNow().stream()).toList();
    List<OpenLoopSender.Answer> throttled =
        answers.stream().filter(a -> a.status() == 429).toList();
    Map<String, Long> retryAfter =
        throttled.stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.retryAfter().orElse("(none)"), TreeMap::new, Collectors.counting()));
    Map<String, Long> errors =
        answers.stream()
            .filter(a -> !a.accepted() && a.status() != 429)
            .collect(
                Collectors.groupingBy(
                    OpenLoopSender.Answer::reason, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "accepted:    %d (%.2f/s over the send window)%n",
        accepted.size(), accepted.size() / (double) options.seconds());
    System.out.printf(
        "429:         %d%s%n",
        throttled.size(), throttled.isEmpty() ? "" : ", Retry-After " + retryAfter);
    System.out.printf(
        "errors:      %d %s%n",
        errors.values().stream().mapToLong(Long::longValue).sum(), errors.isEmpty() ? "" : errors);
    if (unanswered > 0) {
      System.out.printf(
          "unanswered:  %d (no answer within %d s)%n", unanswered, REQUEST_TIMEOUT.toSeconds() + 5);
    }
    List<Double> post =
        answers.stream().map(a -> a.nanos() / 1e9).collect(Collectors.toCollection(ArrayList::new));
    System.out.printf("POST answer: %s%n", percentiles(post));

    List<SigningSessionsRead.Count> sessions = new ArrayList<>();
    int faultyAsked = 0;
    int faultyFinal = 0;
    List<Double> toSigned = new ArrayList<>();
    List<Double> toConfirmed = new ArrayList<>();
    Instant lastTarget = firstSend;
    int reached = 0;
    Map<String, List<Double>> inState = new LinkedHashMap<>();
    PaymentHistory.STAGES.forEach(s -> inState.put(s, new ArrayList<>()));
    Map<String, Long> failures = new TreeMap<>();
    for (Map.Entry<String, OpenLoopSender.Sent> e : accepted.entrySet()) {
      JsonNode tx = details.get(e.getKey());
      Instant sentAt = e.getValue().sentAt();
      if (tx == null) {
        failures.merge("unreadable at the end", 1L, Long::sum);
        continue;
      }
      Optional<Instant> signed = firstEntry(tx, "signed");
      Optional<Instant> confirmed = firstEntry(tx, "confirmed");
      signed.ifPresent(at -> toSigned.add(seconds(sentAt, at)));
      if (signed.isPresent()) {
        SigningSessionsRead.of(tx).ifPresent(sessions::add);
        if (faultyNode.isPresent() && askedToSign(tx, faultyNode.get())) {
          faultyAsked++;
          faultyFinal += contains(tx.path("signing").path("signers"), faultyNode.get()) ? 1 : 0;
        }
      }
      confirmed.ifPresent(at -> toConfirmed.add(seconds(sentAt, at)));
      Optional<Instant> target = options.until().equals("signed") ? signed : confirmed;
      if (target.isPresent()) {
        reached++;
        lastTarget = target.get().isAfter(lastTarget) ? target.get() : lastTarget;
      }
      String state = tx.path("state").asText();
      if (target.isEmpty()) {
        failures.merge(
            PaymentHistory.isFinalState(state)
                ? state + ": " + reasonPattern(tx.path("state_reason").asText(""))
                : "still " + drainStates.getOrDefault(e.getKey(), state) + " when the wait ended",
            1L,
            Long::sum);
      }
      PaymentHistory.secondsPerState(tx.path("history"))
          .forEach((s, secs) -> Optional.ofNullable(inState.get(s)).ifPresent(l -> l.add(secs)));
    }
    System.out.printf(
        "reached %s: %d of %d accepted, %.2f/s (first send to last %s)%n",
        options.until(),
        reached,
        accepted.size(),
        reached / Math.max(0.001, seconds(firstSend, lastTarget)),
        options.until());
    System.out.println("== latency (from each POST's send)");
    System.out.printf("POST→signed:    %s%n", percentiles(toSigned));
    System.out.printf(
        "POST→confirmed: %s%s%n",
        percentiles(toConfirmed),
        options.until().equals("signed") ? "  (only those confirmed before the wait ended)" : "");
    inState.forEach(
        (stage, values) -> System.out.printf("  in %-13s %s%n", stage, percentiles(values)));
    System.out.printf(
        "signing sessions per signed payment: %s%n", SigningSessionsRead.summary(sessions));
    if (faultyNode.isPresent()) {
      System.out.printf(
          "faulty signer %s: asked to sign %d of %d signed payments, a final signer of %d%n",
          faultyNode.get(), faultyAsked, sessions.size(), faultyFinal);
    }
    System.out.println(
        "== failures (accepted payments that did not reach " + options.until() + ")");
    if (failures.isEmpty()) {
      System.out.println("none");
    }
    failures.forEach((why, n) -> System.out.printf("%5d  %s%n", n, why));

    System.out.printf(
        "== CPU seconds per payment (utime+stime from /proc, minus the idle rate; ÷ %d payments"
            + " that reached %s)%n",
        reached, options.until());
    System.out.printf(
        "%-14s %12s %12s %12s %14s%n",
        "process", "idle cpu/s", "window cpu s", "load cpu s", "ms per payment");
    double total = 0;
    double totalWindow = 0;
    double totalIdle = 0;
    for (ClusterCpu.Usage u : cpu) {
      total += u.load();
      totalWindow += u.window();
      totalIdle += u.idlePerSecond();
      printCpu(u.group(), u.idlePerSecond(), u.window(), u.load(), reached);
    }
    printCpu("cluster total", totalIdle, totalWindow, total, reached);
    System.out.printf(
        "%-14s %12s %12.2f %12s %14s   (the load driver itself, not in the total)%n",
        "bench driver", "", benchCpu, "", "");
    System.out.printf("load average after: %s (before: %s)%n", loadAfter, loadBefore);
  }

  private static void printCpu(String name, double idle, double window, double load, int payments) {
    System.out.printf(
        "%-14s %12.3f %12.2f %12.2f %14s%n",
        name,
        idle,
        window,
        load,
        payments == 0 ? "-" : String.format("%.1f", 1000 * load / payments));
  }

  /** Whether {@code node} was among the signers of any of the payment's signing attempts. */
  static boolean askedToSign(JsonNode tx, String node) {
    JsonNode signing = tx.path("signing");
    for (JsonNode attempt : signing.path("attempts_detail")) {
      if (contains(attempt.path("signers"), node)) {
        return true;
      }
    }
    return contains(signing.path("signers"), node);
  }

  private static boolean contains(JsonNode list, String value) {
    for (JsonNode v : list) {
      if (v.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Instant> firstEntry(JsonNode tx, String state) {
    for (JsonNode h : tx.path("history")) {
      if (h.path("to").asText().equals(state)) {
        return Optional.of(Instant.parse(h.path("at").asText()));
      }
    }
    return Optional.empty();
  }

  /** A reason with its ids and numbers blanked, so that like failures group together. */
  static String reasonPattern(String reason) {
    return reason
        .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}", "<id>")
        .replaceAll("\\b[0-9a-f]{16,}\\b", "<hex>")
        .replaceAll("\\d+(\\.\\d+)?", "N");
  }

  static String percentiles(List<Double> values) {
    if (values.isEmpty()) {
      return "n=0";
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(
        "p50 %.3f s  p95 %.3f s  p99 %.3f s  max %.3f s  (n=%d)",
        percentile(sorted, 50),
        percentile(sorted, 95),
        percentile(sorted, 99),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
