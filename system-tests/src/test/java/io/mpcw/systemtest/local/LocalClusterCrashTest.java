package io.mpcw.systemtest.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The processes {@code ./mpcw up} starts, crashed for real: payments survive a SIGKILL of the
 * orchestrator mid-run without being signed or broadcast twice (the chain itself is counted), and
 * keep confirming with a node gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalClusterCrashTest {
  /** A regtest P2TR address no wallet of the cluster owns: every payment to it is one of ours. */
  private static final String RECIPIENT =
      "bcrt1pqypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwxqergd3c8g7rusq58nmtx";

  private static final int PORT_OFFSET = 10_000;
  private static LocalCluster cluster;
  private static String upOutput;
  private static final Map<String, Long> amounts = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    Path home = Files.createTempDirectory("mpcw-system-test");
    cluster = new LocalCluster(home, PORT_OFFSET);
    upOutput = cluster.up("--fresh");
    LocalCluster.Result funded =
        cluster.launcher(Duration.ofMinutes(1), "fund", "default", "60000000", "--outputs", "30");
    assertThat(funded.exit()).as(funded.output()).isZero();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
      cluster.deleteHome();
    }
  }

  @Test
  @Order(0)
  void prometheusStartedByUpScrapesEveryServiceAndEtcd() {
    Assumptions.assumeTrue(
        LocalCluster.onPath("prometheus"), "Debian's prometheus binary is not installed");
    String url = "http://127.0.0.1:" + (9090 + PORT_OFFSET);
    assertThat(upOutput).contains("Prometheus      " + url + "/targets");
    Set<String> expected =
        new HashSet<>(Set.of("prometheus", "orchestrator", "registry", "chain", "etcd"));
    for (int i = 1; i <= 5; i++) {
      expected.add("nodes 127.0.0.1:" + (8100 + i + PORT_OFFSET));
    }
    Set<String> up = new HashSet<>();
    LocalCluster.await(
        Duration.ofSeconds(60),
        () -> {
          up.clear();
          for (JsonNode t :
              LocalCluster.getJson(url + "/api/v1/targets?state=active")
                  .path("data")
                  .path("activeTargets")) {
            if (t.path("health").asText().equals("up")) {
              String job = t.path("labels").path("job").asText();
              up.add(
                  job.equals("nodes")
                      ? job + " " + t.path("labels").path("instance").asText()
                      : job);
            }
          }
          return up.containsAll(expected);
        },
        "every Prometheus target to be up");
    assertThat(up).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  @Order(1)
  void paymentsSurviveAnOrchestratorKilledMidRunWithoutDoubleSpendOrDoubleBroadcast() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(pay(i));
    }
    // kill it while the batch is spread over the stages: as soon as one is being signed
    Set<String> signingOrLater = Set.of("signing", "signed", "broadcasting", "confirmed");
    LocalCluster.await(
        Duration.ofMinutes(2),
        () -> ids.stream().map(cluster::state).anyMatch(signingOrLater::contains),
        "a first payment to reach signing");
    // and two more just before the kill, so that it finds some being voted on: their rounds are
    // taken over with the leases, after more than the voting timeout since they were opened
    for (int i = 20; i < 22; i++) {
      ids.add(pay(i));
    }
    Map<String, Integer> before = new HashMap<>();
    ids.forEach(id -> before.merge(cluster.state(id), 1, Integer::sum));
    System.out.println("killing the orchestrator with payments in " + before);
    cluster.kill("orchestrator");
    assertThat(cluster.process("orchestrator")).isEmpty();

    cluster.up(); // restarts only what is not running: the orchestrator
    Map<String, JsonNode> done =
        cluster.awaitAll(ids, LocalClusterCrashTest::terminal, Duration.ofMinutes(4));

    List<String> notConfirmed =
        done.values().stream()
            .filter(t -> !t.path("state").asText().equals("confirmed"))
            .map(LocalClusterCrashTest::outcome)
            .toList();
    assertThat(notConfirmed)
        .withFailMessage(
            "not confirmed:%n%s%nstates when killed: %s%s",
            String.join("\n", notConfirmed), before, cluster.logTails("orchestrator"))
        .isEmpty();
    Set<String> txids = new HashSet<>();
    done.values().forEach(t -> txids.add(t.path("chain").path("txid").asText()));
    assertThat(txids).hasSize(ids.size()).doesNotContain("", "null");

    // the chain's own view: exactly one transaction per payment, and it is the one recorded
    Map<String, Long> paidByTxid = paymentsToRecipient();
    assertThat(paidByTxid.keySet()).containsExactlyInAnyOrderElementsOf(txids);
    for (JsonNode t : done.values()) {
      assertThat(paidByTxid.get(t.path("chain").path("txid").asText()))
          .isEqualTo(amounts.get(t.path("id").asText()));
    }
  }

  @Test
  @Order(2)
  void paymentsStillConfirmWithOneNodeKilled() {
    cluster.kill("node-5");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(cluster.pay(RECIPIENT, 30_000 + i, "after-node-kill-" + UUID.randomUUID()));
    }
    Map<String, JsonNode> done =
        cluster.awaitAll(ids, LocalClusterCrashTest::terminal, Duration.ofMinutes(3));
    assertThat(done.values())
        .allSatisfy(
            t -> {
              assertThat(t.path("state").asText()).isEqualTo("confirmed");
              assertThat(t.path("signing").path("signers").toString()).doesNotContain("node-5");
              assertThat(t.path("voting").path("approvals").asInt())
                  .isGreaterThanOrEqualTo(t.path("voting").path("threshold").asInt());
            });
  }

  /** Pays {@code 20_000 + i} sats to the recipient and remembers the amount by payment id. */
  private static String pay(int i) {
    long sats = 20_000 + i;
    String id = cluster.pay(RECIPIENT, sats, "crash-test-" + i);
    amounts.put(id, sats);
    return id;
  }

  /** What a failed payment's view says about why, short enough to read in a CI log. */
  private static String outcome(JsonNode tx) {
    return tx.path("id").asText()
        + " "
        + tx.path("state").asText()
        + " ("
        + tx.path("state_reason").asText()
        + ") signing="
        + tx.path("signing").path("attempts_detail")
        + " history="
        + tx.path("history");
  }

  private static boolean terminal(JsonNode tx) {
    return Set.of("confirmed", "failed", "rejected", "aborted_byzantine", "cancelled")
        .contains(tx.path("state").asText());
  }

  /** txid → sats paid to {@link #RECIPIENT}, over every block of the chain. */
  private static Map<String, Long> paymentsToRecipient() {
    Map<String, Long> paid = new HashMap<>();
    for (JsonNode tx : cluster.chainTransactions()) {
      for (JsonNode out : tx.path("vout")) {
        if (RECIPIENT.equals(out.path("scriptPubKey").path("address").asText())) {
          long sats = new BigDecimal(out.path("value").asText()).movePointRight(8).longValueExact();
          Long previous = paid.put(tx.path("txid").asText(), sats);
          assertThat(previous).as("one output to the recipient per transaction").isNull();
        }
      }
    }
    return paid;
  }
}
