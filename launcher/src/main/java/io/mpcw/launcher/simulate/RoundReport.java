package io.mpcw.launcher.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.Layout;
import io.mpcw.launcher.cluster.PaymentHistory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One simulation round read back from the API: each node's recorded vote, whether the orchestrator
 * caught it (evidence, or no answer), what was injected, and whether the outcome is the one the
 * configuration calls for.
 *
 * @param text the lines to print
 * @param asExpected approval exactly when the honest nodes alone reach the threshold, and no honest
 *     node accused
 * @param unsafe approved although the honest approvals are fewer than the threshold
 */
record RoundReport(String text, boolean asExpected, boolean unsafe) {

  String render() {
    return text;
  }

  static RoundReport of(SimulateCommand.Plan plan, JsonNode tx) {
    if (tx == null) {
      return new RoundReport("  (the orchestrator never answered)\n", false, false);
    }
    Map<String, JsonNode> votes = new HashMap<>();
    tx.path("voting").path("votes").forEach(v -> votes.put(v.path("node_id").asText(), v));
    StringBuilder out = new StringBuilder();
    int validApprovals = 0;
    int honestApprovals = 0;
    int detected = 0;
    boolean falseAccusation = false;
    for (int i = 1; i <= plan.nodes(); i++) {
      String node = Layout.nodeId(i);
      Optional<String> injected = Optional.ofNullable(plan.modes().get(node));
      JsonNode vote = votes.get(node);
      String decision = vote == null ? "-" : vote.path("decision").asText();
      String evidence = vote == null ? "" : vote.path("evidence").asText("");
      String verdict;
      if (vote == null) {
        verdict = "no answer";
      } else if (!evidence.isEmpty()) {
        verdict = "FAULTY (" + kind(evidence) + ")";
      } else {
        verdict = "ok";
      }
      boolean caught = vote == null || !evidence.isEmpty();
      if (injected.isPresent() && caught) {
        detected++;
      }
      if (injected.isEmpty() && !evidence.isEmpty()) {
        falseAccusation = true;
      }
      if (vote != null && evidence.isEmpty() && decision.equals("approve")) {
        validApprovals++;
        if (injected.isEmpty() || injected.get().equals("bad-share")) {
          honestApprovals++;
        }
      }
      out.append(
          String.format(
              "  %-8s %-8s %-28s%s%n",
              node, decision, verdict, injected.map(m -> "[injected: " + m + "]").orElse("")));
    }
    int voteFaulty =
        (int) plan.modes().values().stream().filter(m -> !m.equals("bad-share")).count();
    boolean shouldApprove = plan.nodes() - voteFaulty >= plan.threshold();
    String state = tx.path("state").asText();
    boolean approved = PaymentHistory.passedThrough(tx, "approved");
    boolean unsafe = approved && honestApprovals < plan.threshold();
    boolean safeFailure =
        !approved
            && (state.equals("rejected")
                || state.equals("aborted_byzantine")
                || state.equals("failed"));
    String outcome;
    if (unsafe) {
      outcome = "UNSAFE APPROVAL";
    } else if (approved && state.equals("confirmed")) {
      outcome = "CONSENSUS REACHED";
    } else if (safeFailure) {
      outcome = "SAFE FAILURE (" + state + ")";
    } else {
      outcome = "NO RESULT (" + state + ")";
    }
    out.append(
        String.format(
            "Result: %s  approvals %d/%d (threshold %d)  faulty detected %d of %d%n",
            outcome, validApprovals, plan.nodes(), plan.threshold(), detected, plan.faulty()));
    long rejectAll = plan.modes().values().stream().filter(m -> m.equals("reject-all")).count();
    if (rejectAll > 0 && detected < plan.faulty()) {
      out.append(
          "  (a reject-all node casts validly signed rejects: indistinguishable from its policy,"
              + " so nothing to detect; it only counts against approval)\n");
    }
    out.append("  ").append(detail(tx, state)).append('\n');
    boolean asExpected =
        !unsafe && !falseAccusation && (shouldApprove ? state.equals("confirmed") : safeFailure);
    if (!asExpected) {
      out.append(
          "  NOT AS EXPECTED: with "
              + voteFaulty
              + " vote-faulty node(s) the payment should "
              + (shouldApprove ? "confirm" : "fail safely")
              + (falseAccusation ? "; an honest node was accused" : "")
              + "\n");
    }
    return new RoundReport(out.toString(), asExpected, unsafe);
  }

  private static String detail(JsonNode tx, String state) {
    if (state.equals("confirmed")) {
      StringBuilder signers = new StringBuilder();
      tx.path("signing")
          .path("signers")
          .forEach(s -> signers.append(signers.isEmpty() ? "" : ",").append(s.asText()));
      return "confirmed: txid "
          + tx.path("chain").path("txid").asText()
          + ", signed by "
          + signers
          + " in "
          + tx.path("signing").path("attempts").asInt()
          + " attempt(s)";
    }
    return state + ": " + tx.path("state_reason").asText("");
  }

  /** {@code "bad_signature: the signature does not verify"} → {@code bad signature}. */
  private static String kind(String evidence) {
    int colon = evidence.indexOf(':');
    return (colon > 0 ? evidence.substring(0, colon) : evidence).replace('_', ' ');
  }
}
