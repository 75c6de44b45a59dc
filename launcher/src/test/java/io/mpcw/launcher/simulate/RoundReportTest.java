package io.mpcw.launcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.launcher.cluster.Layout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoundReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final SimulateCommand.Plan TWO_OF_SEVEN =
      new SimulateCommand.Plan(
          7, 2, 1, 5, Map.of("node-4", "bad-signature", "node-6", "silent"), 1);

  @Test
  void confirmedRoundWithinToleranceIsConsensusWithEveryInjectedFaultCaught() throws Exception {
    JsonNode tx =
        tx(
            "confirmed",
            List.of(
                "pending", "voting", "approved", "signing", "signed", "broadcasting", "confirmed"),
            votes("node-1", "node-2", "node-3", "node-5", "node-7"),
            "{\"node_id\":\"node-4\",\"decision\":\"approve\","
                + "\"evidence\":\"bad_signature: the signature does not verify\"}");

    RoundReport report = RoundReport.of(TWO_OF_SEVEN, tx);

    assertThat(report.asExpected()).isTrue();
    assertThat(report.unsafe()).isFalse();
    assertThat(report.text())
        .contains("Result: CONSENSUS REACHED  approvals 5/7 (threshold 5)  faulty detected 2 of 2")
        .contains("node-4   approve  FAULTY (bad signature)")
        .contains("node-6   -        no answer")
        .contains("[injected: silent]");
  }

  @Test
  void approvalWithoutEnoughHonestVotesIsReportedUnsafe() throws Exception {
    SimulateCommand.Plan threeFaulty =
        new SimulateCommand.Plan(
            7,
            3,
            1,
            5,
            Map.of("node-1", "equivocate", "node-2", "equivocate", "node-3", "equivocate"),
            1);
    JsonNode tx =
        tx(
            "confirmed",
            List.of("pending", "voting", "approved", "confirmed"),
            votes("node-1", "node-2", "node-3", "node-4", "node-5"));

    RoundReport report = RoundReport.of(threeFaulty, tx);

    assertThat(report.unsafe()).isTrue();
    assertThat(report.asExpected()).isFalse();
    assertThat(report.text()).contains("UNSAFE APPROVAL");
  }

  @Test
  void beyondToleranceARejectionIsTheExpectedSafeFailure() throws Exception {
    SimulateCommand.Plan threeFaulty =
        SimulateCommand.Plan.of(7, 3, 1, Optional.empty(), List.of("reject-all"), 7);
    JsonNode tx =
        tx(
            "rejected",
            List.of("pending", "voting", "rejected"),
            votes(honestOf(threeFaulty).toArray(String[]::new)));

    RoundReport report = RoundReport.of(threeFaulty, tx);

    assertThat(report.asExpected()).isTrue();
    assertThat(report.text()).contains("Result: SAFE FAILURE (rejected)");
  }

  @Test
  void anHonestNodeAccusedOfAFaultMakesTheRoundUnexpected() throws Exception {
    JsonNode tx =
        tx(
            "confirmed",
            List.of("pending", "voting", "approved", "confirmed"),
            votes("node-2", "node-3", "node-5", "node-7", "node-4"),
            "{\"node_id\":\"node-1\",\"decision\":\"approve\","
                + "\"evidence\":\"digest_mismatch: another payload\"}");

    assertThat(RoundReport.of(TWO_OF_SEVEN, tx).asExpected()).isFalse();
  }

  private static List<String> honestOf(SimulateCommand.Plan plan) {
    return java.util.stream.IntStream.rangeClosed(1, plan.nodes())
        .mapToObj(Layout::nodeId)
        .filter(n -> !plan.modes().containsKey(n))
        .toList();
  }

  private static String[] votes(String... approving) {
    return java.util.Arrays.stream(approving)
        .map(n -> "{\"node_id\":\"" + n + "\",\"decision\":\"approve\"}")
        .toArray(String[]::new);
  }

  private static JsonNode tx(String state, List<String> path, String[] votes, String... more)
      throws Exception {
    StringBuilder history = new StringBuilder();
    String from = null;
    for (String to : path) {
      history.append(history.isEmpty() ? "" : ",");
      history.append("{\"from\":").append(from == null ? "null" : "\"" + from + "\"");
      history.append(",\"to\":\"").append(to).append("\",\"at\":\"2026-12-01T00:00:00Z\"}");
      from = to;
    }
    List<String> all = new java.util.ArrayList<>(List.of(votes));
    all.addAll(List.of(more));
    return JSON.readTree(
        "{\"state\":\""
            + state
            + "\",\"voting\":{\"votes\":["
            + String.join(",", all)
            + "]},\"signing\":{\"signers\":[\"node-1\"],\"attempts\":1},"
            + "\"chain\":{\"txid\":\"ab\"},\"history\":["
            + history
            + "]}");
  }
}
