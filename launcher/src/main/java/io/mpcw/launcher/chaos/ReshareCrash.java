package io.mpcw.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.Processes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code reshare-crash} chaos scenario: while payments flow, the default wallet (t-of-5 on the
 * five nodes) is reshared to t-of-4 without node-5 and, as soon as its dealing starts, both
 * orchestrator replicas are SIGKILLed and restarted and node-3 (a dealer and a receiver) is killed
 * for 10 s. Promise: the operation ends (committed, or aborted with nothing committed), the wallet
 * is in exactly one epoch with the set and threshold that go with it, and payments keep confirming
 * (checked by the run's payment invariants). Afterwards the wallet is reshared back to its five
 * nodes (node-5 joins again, with no fault), so the scenarios after this one find it as it was.
 */
final class ReshareCrash implements Fault {
  private static final List<String> REPLICAS =
      List.of("orchestrator", ChaosCluster.SECOND_ORCHESTRATOR);
  private static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(6);

  private final ChaosCluster cluster;
  private final List<String> notes = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  ReshareCrash(ChaosCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void during() {
    Processes.sleep(3_000);
    JsonNode wallet = api().defaultWallet().orElseThrow(() -> fail("no default wallet"));
    String id = wallet.path("id").asText();
    long fromEpoch = wallet.path("key_epoch").asLong();
    int threshold = wallet.path("threshold").asInt();
    List<String> before = nodeIds(wallet);
    List<String> without = before.stream().filter(n -> !n.equals("node-5")).toList();

    String operation = start(id, threshold, without);
    // the crash: as soon as the quorum deals, both runners die and a dealer goes down with them
    JsonNode dealing = awaitState(id, operation, s -> !s.equals("voting"), Duration.ofSeconds(60));
    REPLICAS.forEach(cluster::kill);
    cluster.kill("node-3");
    notes.add(
        "both orchestrators and node-3 killed with the reshare in "
            + dealing.path("state").asText());
    REPLICAS.forEach(cluster::start);
    Processes.sleep(10_000);
    cluster.start("node-3");
    cluster.awaitHealthy("node-3", Duration.ofMinutes(2));
    REPLICAS.forEach(r -> cluster.awaitHealthy(r, Duration.ofMinutes(2)));

    JsonNode done = awaitState(id, operation, ReshareCrash::terminal, OPERATION_TIMEOUT);
    String state = done.path("state").asText();
    notes.add("reshare to " + threshold + "-of-" + without + ": " + path(done));
    JsonNode after = api().get("/api/v1/wallets/" + id).orElseThrow(() -> fail("wallet gone"));
    oneEpoch(after, state, fromEpoch, threshold, before, without);

    if (state.equals("committed")) {
      // back to the five nodes: node-5 joins with no share (its old one was erased)
      String back = start(id, threshold, before);
      JsonNode restored = awaitState(id, back, ReshareCrash::terminal, OPERATION_TIMEOUT);
      notes.add("reshare back to " + threshold + "-of-" + before + ": " + path(restored));
      JsonNode again = api().get("/api/v1/wallets/" + id).orElseThrow(() -> fail("wallet gone"));
      if (!restored.path("state").asText().equals("committed")
          || again.path("key_epoch").asLong() != fromEpoch + 2
          || !nodeIds(again).equals(before)) {
        violations.add(
            "the reshare back to the five nodes did not commit: "
                + restored.path("state").asText()
                + ", wallet at epoch "
                + again.path("key_epoch").asLong()
                + " on "
                + nodeIds(again));
      }
    }
  }

  /**
   * Exactly one epoch: committed → one more, on the new set and threshold; aborted → the same, on
   * the old set. Anything else (stuck, or a wallet row that moved without its operation) fails.
   */
  private void oneEpoch(
      JsonNode wallet,
      String state,
      long fromEpoch,
      int threshold,
      List<String> before,
      List<String> without) {
    long epoch = wallet.path("key_epoch").asLong();
    List<String> set = nodeIds(wallet);
    boolean consistent =
        switch (state) {
          case "committed" ->
              epoch == fromEpoch + 1
                  && set.equals(without)
                  && wallet.path("threshold").asInt() == threshold;
          case "aborted", "rejected" -> epoch == fromEpoch && set.equals(before);
          default -> false;
        };
    notes.add("wallet at epoch " + epoch + " on " + set + " after the crash (" + state + ")");
    if (!consistent) {
      violations.add(
          "the wallet is at epoch "
              + epoch
              + " on "
              + set
              + " while its reshare from epoch "
              + fromEpoch
              + " ended "
              + state);
    }
  }

  private String start(String walletId, int threshold, List<String> participants) {
    String body =
        "{\"threshold\":"
            + threshold
            + ",\"participants\":[\""
            + String.join("\",\"", participants)
            + "\"]}";
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      Optional<OrchestratorApi.Answer> answer =
          api()
              .post(
                  "/api/v1/wallets/" + walletId + "/reshare",
                  cluster.credentials().submitKey(),
                  body,
                  Duration.ofSeconds(10));
      if (answer.isPresent() && answer.get().status() == 202) {
        return answer.get().body().path("id").asText();
      }
      // 409 while an earlier operation still commits, or a replica restarting: try again
      Processes.sleep(1_000);
    }
    throw fail("the reshare to " + participants + " could not be started");
  }

  private JsonNode awaitState(
      String walletId, String operation, java.util.function.Predicate<String> done, Duration max) {
    Instant deadline = Instant.now().plus(max);
    String last = "unknown";
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> op = api().get("/api/v1/wallets/" + walletId + "/operations/" + operation);
      if (op.isPresent()) {
        last = op.get().path("state").asText();
        if (done.test(last)) {
          return op.get();
        }
      }
      Processes.sleep(200);
    }
    throw fail("operation " + operation + " still " + last + " after " + max.toSeconds() + " s");
  }

  private static boolean terminal(String state) {
    return List.of("committed", "aborted", "rejected").contains(state);
  }

  private static String path(JsonNode op) {
    List<String> states = new ArrayList<>();
    op.path("history").forEach(h -> states.add(h.path("to").asText()));
    return String.join(" → ", states)
        + (op.path("reason").isTextual() ? " (" + op.path("reason").asText() + ")" : "");
  }

  private static List<String> nodeIds(JsonNode wallet) {
    List<String> ids = new ArrayList<>();
    wallet.path("participants").forEach(p -> ids.add(p.path("node_id").asText()));
    return ids;
  }

  /** Whichever replica answers (one may be restarting). */
  private OrchestratorApi api() {
    for (String url : cluster.apiUrls()) {
      OrchestratorApi api = new OrchestratorApi(url, cluster.credentials().readKey());
      if (api.get("/api/v1/wallets").isPresent()) {
        return api;
      }
    }
    return new OrchestratorApi(cluster.apiUrls().get(0), cluster.credentials().readKey());
  }

  private IllegalStateException fail(String why) {
    return new IllegalStateException(why);
  }

  @Override
  public Duration window() {
    return Duration.ofSeconds(60);
  }

  @Override
  public List<String> notes() {
    return notes;
  }

  @Override
  public List<String> violations() {
    return violations;
  }
}
