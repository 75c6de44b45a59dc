package io.mpcw.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.chain.ChainClient;
import io.mpcw.chain.ChainRejectedException;
import io.mpcw.chain.ChainUnavailableException;
import io.mpcw.launcher.cluster.Credentials;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.launcher.cluster.Processes;
import io.mpcw.launcher.cluster.Recipients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mpcw demo}: on a running local cluster, funds the default wallet from the simulator's
 * faucet, submits a handful of payments (one above the nodes' limit), prints every state change as
 * it happens, and ends with a table: state, votes, signers, txid and the time spent in each stage.
 */
public final class DemoCommand {
  /** Amounts of the demo payments; the last is above the nodes' default limit of 1 BTC. */
  static final List<Long> AMOUNTS = List.of(15_000L, 42_000L, 120_000L, 7_500L, 150_000_000L);

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Layout layout;
  private final Credentials credentials;
  private final ChainClient chain;
  private final OrchestratorApi api;

  public DemoCommand(Layout layout, Credentials credentials, ChainClient chain) {
    this.layout = layout;
    this.credentials = credentials;
    this.chain = chain;
    this.api = OrchestratorApi.local(layout, credentials);
  }

  public int run() {
    if (!credentials.simulatedChain(layout)) {
      System.err.println(
          "the demo funds the wallet from the chain simulator's faucet; this cluster uses an"
              + " external bitcoind (MPCW_CHAIN_RPC_URL). Fund the default wallet yourself and"
              + " submit payments with curl (README).");
      return 1;
    }
    Optional<JsonNode> wallet = api.awaitDefaultWallet(Duration.ofSeconds(30));
    if (wallet.isEmpty()) {
      System.err.println("no ready default wallet: is the cluster up? (./mpcw up, ./mpcw status)");
      return 1;
    }
    String address = wallet.get().path("address").asText();
    System.out.printf(
        "default wallet %s (%d of %d) at %s%n",
        wallet.get().path("id").asText(),
        wallet.get().path("threshold").asInt(),
        wallet.get().path("participants").size(),
        address);
    try {
      for (int i = 0; i < AMOUNTS.size(); i++) {
        chain.sendToAddress(address, 500_000);
      }
      chain.mine(1, address);
    } catch (ChainRejectedException | ChainUnavailableException e) {
      System.err.println("the chain simulator refused or is unreachable: " + e.getMessage());
      return 1;
    }
    System.out.printf("funded it with %d coins of 500000 sats (one block mined)%n", AMOUNTS.size());

    String recipient = Recipients.random();
    Map<String, Long> submitted = new LinkedHashMap<>();
    for (long amount : AMOUNTS) {
      String body = "{\"recipient\":\"" + recipient + "\",\"amount_sats\":" + amount + "}";
      Optional<OrchestratorApi.Answer> answer =
          api.post("/api/v1/transactions", credentials.submitKey(), body, Duration.ofSeconds(10));
      if (answer.isEmpty() || answer.get().status() != 201) {
        System.err.println(
            "POST /api/v1/transactions failed: "
                + answer.map(a -> a.status() + " " + a.body()).orElse("orchestrator unreachable"));
        return 1;
      }
      submitted.put(answer.get().body().path("id").asText(), amount);
    }
    System.out.printf(
        "submitted %d payments to %s; the last is above the nodes' limit%n%n",
        submitted.size(), recipient);

    Map<String, JsonNode> last = follow(submitted);
    System.out.println();
    System.out.print(summary(submitted, last));
    long confirmed =
        last.values().stream().filter(t -> "confirmed".equals(t.path("state").asText())).count();
    return confirmed == AMOUNTS.size() - 1 ? 0 : 1;
  }

  /** Polls every payment, printing each state change, until all are final or the time is up. */
  private Map<String, JsonNode> follow(Map<String, Long> submitted) {
    Map<String, JsonNode> last = new LinkedHashMap<>();
    Map<String, String> shown = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(submitted.keySet());
    Instant start = Instant.now();
    Instant deadline = start.plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        Optional<JsonNode> tx = api.get("/api/v1/transactions/" + id);
        if (tx.isEmpty()) {
          continue;
        }
        last.put(id, tx.get());
        String state = tx.get().path("state").asText();
        if (!state.equals(shown.get(id))) {
          shown.put(id, state);
          System.out.printf(
              "%6.1f s  payment %d  %,12d sats  %-13s %s%n",
              Duration.between(start, Instant.now()).toMillis() / 1000.0,
              i + 1,
              submitted.get(id),
              state,
              tx.get().path("state_reason").asText(""));
        }
      }
      if (last.size() == ids.size() && last.values().stream().allMatch(PaymentHistory::isFinal)) {
        break;
      }
      Processes.sleep(250);
    }
    return last;
  }

  /** The final table: one row per payment, seconds spent in each stage from the API's history. */
  static String summary(Map<String, Long> submitted, Map<String, JsonNode> last) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-2s %12s  %-17s %-6s %-22s %-12s", "#", "sats", "state", "votes", "signers", "txid"));
    for (String stage : PaymentHistory.STAGES) {
      out.append(String.format(" %8s", abbreviate(stage)));
    }
    out.append(String.format(" %7s%n", "total"));
    int row = 0;
    for (Map.Entry<String, Long> e : submitted.entrySet()) {
      row++;
      JsonNode tx = last.get(e.getKey());
      if (tx == null) {
        out.append(String.format("%-2d %,12d  (never answered)%n", row, e.getValue()));
        continue;
      }
      JsonNode voting = tx.path("voting");
      String votes =
          voting.isMissingNode() || voting.isNull()
              ? "-"
              : voting.path("approvals").asInt() + "/" + voting.path("threshold").asInt();
      List<String> signers = new ArrayList<>();
      tx.path("signing").path("signers").forEach(s -> signers.add(s.asText().replace("node-", "")));
      String txid = tx.path("chain").path("txid").asText("");
      out.append(
          String.format(
              "%-2d %,12d  %-17s %-6s %-22s %-12s",
              row,
              e.getValue(),
              tx.path("state").asText(),
              votes,
              signers.isEmpty() ? "-" : "nodes " + String.join(",", signers),
              txid.isEmpty() || "null".equals(txid) ? "-" : txid.substring(0, 10) + "…"));
      Map<String, Double> seconds = PaymentHistory.secondsPerState(tx.path("history"));
      double total = 0;
      for (String stage : PaymentHistory.STAGES) {
        Double s = seconds.get(stage);
        out.append(s == null ? String.format(" %8s", "-") : String.format(" %7.2fs", s));
        total += s == null ? 0 : s;
      }
      out.append(String.format(" %6.2fs%n", total));
      String state = tx.path("state").asText();
      if (!"confirmed".equals(state)) {
        out.append("     ").append(tx.path("state_reason").asText("")).append('\n');
      }
    }
    return out.toString();
  }

  private static String abbreviate(String stage) {
    return stage.length() > 8 ? stage.substring(0, 7) + "." : stage;
  }
}
