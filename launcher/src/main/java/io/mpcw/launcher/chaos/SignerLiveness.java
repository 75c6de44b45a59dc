package io.mpcw.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.SigningSessionsRead;
import java.util.ArrayList;
import java.util.List;

/**
 * The liveness promise of the signer-fault chaos scenarios: with one faulty signer among the
 * wallet's participants, every payment is signed and none fails. Read from each payment's last
 * record (state and history) once the drain is over.
 */
final class SignerLiveness {

  private static final List<String> FAILED =
      List.of("failed", "rejected", "aborted_byzantine", "cancelled");

  private SignerLiveness() {}

  /**
   * @param notes what held, e.g. {@code 25 of 25 payments signed, none failed; signing sessions per
   *     payment: mean 1.40, max 2 (signing.attempts, n=25)}
   * @param violations one per payment that was not signed or failed
   */
  record Outcome(List<String> notes, List<String> violations) {}

  static Outcome check(List<PaymentLoad.Payment> payments) {
    List<String> violations = new ArrayList<>();
    List<SigningSessionsRead.Count> sessions = new ArrayList<>();
    int signed = 0;
    for (PaymentLoad.Payment p : payments) {
      JsonNode tx = p.last;
      boolean wasSigned = tx != null && reached(tx, "signed");
      String state = p.state();
      if (wasSigned) {
        signed++;
        SigningSessionsRead.of(tx).ifPresent(sessions::add);
      }
      if (FAILED.contains(state)) {
        violations.add("liveness: " + p.key + " failed (" + state + ") with one faulty signer");
      } else if (!wasSigned) {
        violations.add("liveness: " + p.key + " was never signed (still " + state + ")");
      }
    }
    String held =
        violations.isEmpty()
            ? "liveness held: every payment signed, none failed"
            : "liveness BROKEN: " + violations.size() + " payment(s) unsigned or failed";
    return new Outcome(
        List.of(
            held + " (" + signed + " of " + payments.size() + " signed)",
            "signing sessions per payment: " + SigningSessionsRead.summary(sessions)),
        violations);
  }

  private static boolean reached(JsonNode tx, String state) {
    for (JsonNode h : tx.path("history")) {
      if (h.path("to").asText().equals(state)) {
        return true;
      }
    }
    return false;
  }
}
