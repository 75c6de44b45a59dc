package io.mpcw.launcher.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.launcher.cluster.ChainClients;
import io.mpcw.launcher.cluster.ClusterOverrides;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.DownCommand;
import io.mpcw.launcher.cluster.ExitCode;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.cluster.Recipients;
import io.mpcw.launcher.cluster.ServiceSpec;
import io.mpcw.launcher.cluster.UpCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * {@code ./mpcw simulate --nodes N --faulty F [--rounds R]}: the consensus simulation the project
 * grew from, on the real system. An ephemeral cluster of N real nodes, F of them Byzantine through
 * the nodes' fault switch, runs R real payments; each round prints every node's vote and whether
 * the orchestrator caught it, then the outcome. With F ≤ f every round must confirm; with F > f
 * every round must fail safely — an approval then is reported as a safety violation (exit 3).
 */
public final class SimulateCommand {
  /** The faults a node can show while voting (the fault switch's modes that touch the vote). */
  public static final List<String> VOTE_FAULTS =
      List.of("reject-all", "wrong-digest", "bad-signature", "equivocate", "silent");

  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration VOTING_TIMEOUT = Duration.ofSeconds(12);
  private static final int DEFAULT_OFFSET = 5_000;

  private final Path repo;
  private final Plan plan;

  /**
   * @param nodes N
   * @param faulty F
   * @param rounds payments to run
   * @param threshold approvals needed (default n − f)
   * @param modes node id → fault mode, for the F faulty nodes
   * @param seed what chose the faulty nodes and their modes (printed, so a run can be repeated)
   */
  public record Plan(
      int nodes, int faulty, int rounds, int threshold, Map<String, String> modes, long seed) {
    int tolerance() {
      return (nodes - 1) / 3;
    }

    /** Picks F distinct nodes and a mode for each, reproducibly from {@code seed}. */
    public static Plan of(
        int nodes,
        int faulty,
        int rounds,
        Optional<Integer> threshold,
        List<String> modes,
        long seed) {
      Random random = new Random(seed);
      List<Integer> ids = new ArrayList<>();
      for (int i = 1; i <= nodes; i++) {
        ids.add(i);
      }
      Collections.shuffle(ids, random);
      Map<String, String> chosen = new TreeMap<>();
      for (int k = 0; k < faulty; k++) {
        chosen.put(Layout.nodeId(ids.get(k)), modes.get(random.nextInt(modes.size())));
      }
      return new Plan(
          nodes,
          faulty,
          rounds,
          threshold.orElse(ServiceSpec.defaultThreshold(nodes)),
          chosen,
          seed);
    }
  }

  public SimulateCommand(Path repo, Plan plan) {
    this.repo = repo;
    this.plan = plan;
  }

  public int run(boolean keep) {
    System.out.printf(
        "Configuration: nodes %d, faulty %d, tolerance f = %d (3f+1 = %d minimum), threshold %d,"
            + " seed %d%n",
        plan.nodes(),
        plan.faulty(),
        plan.tolerance(),
        3 * plan.tolerance() + 1,
        plan.threshold(),
        plan.seed());
    plan.modes().forEach((node, mode) -> System.out.printf("  injected: %s %s%n", node, mode));
    Path home;
    try {
      home = Files.createTempDirectory("mpcw-simulate-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Layout layout = new Layout(repo, home, plan.nodes(), offset());
    System.out.printf(
        "starting an ephemeral cluster in %s (ports +%d) ...%n", home, layout.portOffset());
    try {
      if (new UpCommand(layout, false, overrides()).run() != 0) {
        return 1;
      }
      Credentials credentials = Credentials.loadOrCreate(layout, new boolean[1]);
      return rounds(layout, credentials, ChainClients.of(credentials));
    } finally {
      new DownCommand(layout).run();
      if (!keep) {
        UpCommand.deleteRecursively(home);
      }
    }
  }

  private static int offset() {
    String env = System.getenv("MPCW_SIMULATE_PORT_OFFSET");
    return env == null || env.isBlank() ? DEFAULT_OFFSET : Integer.parseInt(env.trim());
  }

  private ClusterOverrides overrides() {
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    String threshold = Integer.toString(plan.threshold());
    for (int i = 1; i <= plan.nodes(); i++) {
      String node = Layout.nodeId(i);
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("MPCW_MIN_APPROVALS", threshold);
      Optional.ofNullable(plan.modes().get(node))
          .ifPresent(
              m -> {
                vars.put("MPCW_NODE_BYZANTINE", m);
                vars.put("SPRING_PROFILES_ACTIVE", "fault-injection");
              });
      env.put(node, vars);
    }
    // a silent node is only known once the vote times out: keep that wait short here
    env.put(
        "orchestrator",
        Map.of(
            "MPCW_THRESHOLD",
            threshold,
            "SPRING_APPLICATION_JSON",
            "{\"mpcw\":{\"pipeline\":{\"stage-timeouts\":{\"pending\":\"60s\",\"voting\":\""
                + VOTING_TIMEOUT.toSeconds()
                + "s\",\"approved\":\"120s\",\"signing\":\"60s\"}}}}"));
    return new ClusterOverrides(env, false, false);
  }

  private int rounds(Layout layout, Credentials credentials, ChainClient chain) {
    OrchestratorApi api = OrchestratorApi.local(layout, credentials);
    Optional<JsonNode> wallet = api.awaitDefaultWallet(Duration.ofSeconds(60));
    if (wallet.isEmpty()) {
      System.err.println("the default wallet's DKG did not finish; see " + layout.logs());
      return 1;
    }
    try {
      for (int i = 0; i < plan.rounds(); i++) {
        chain.sendToAddress(wallet.get().path("address").asText(), 1_000_000);
      }
      chain.mine(1, wallet.get().path("address").asText());
    } catch (ChainRejectedException | ChainUnavailableException e) {
      System.err.println("the chain simulator refused or is unreachable: " + e.getMessage());
      return 1;
    }
    Random random = new Random(plan.seed());
    String recipient = Recipients.random();
    boolean allAsExpected = true;
    boolean unsafe = false;
    for (int round = 1; round <= plan.rounds(); round++) {
      long amount = 10_000 + random.nextInt(90_000);
      String body = "{\"recipient\":\"" + recipient + "\",\"amount_sats\":" + amount + "}";
      Optional<OrchestratorApi.Answer> answer =
          api.post("/api/v1/transactions", credentials.submitKey(), body, Duration.ofSeconds(10));
      if (answer.isEmpty() || answer.get().status() != 201) {
        System.err.println(
            "POST failed: " + answer.map(a -> a.status() + " " + a.body()).orElse("no answer"));
        return 1;
      }
      String id = answer.get().body().path("id").asText();
      JsonNode tx = await(api, id);
      RoundReport report = RoundReport.of(plan, tx);
      System.out.printf("Round %d: tx %s… amount %d sats%n", round, id.substring(0, 8), amount);
      System.out.print(report.render());
      allAsExpected &= report.asExpected();
      unsafe |= report.unsafe();
    }
    if (unsafe) {
      System.out.println("SAFETY VIOLATION: a payment was approved without t honest approvals");
      return ExitCode.UNSAFE;
    }
    return allAsExpected ? 0 : 1;
  }

  /** Polls until the payment is final, or stops in a state it cannot leave by itself. */
  private static JsonNode await(OrchestratorApi api, String id) {
    Instant deadline = Instant.now().plus(ROUND_TIMEOUT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> tx = api.get("/api/v1/transactions/" + id);
      if (tx.isPresent()) {
        last = tx.get();
        if (PaymentHistory.isFinal(last)) {
          return last;
        }
      }
      Processes.sleep(300);
    }
    return last;
  }
}
