package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignerLivenessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PaymentLoad.Payment payment(String key, String state, int attempts, String... path)
      throws Exception {
    StringBuilder history = new StringBuilder();
    for (String to : path) {
      history.append(history.isEmpty() ? "" : ",").append("{\"to\":\"").append(to).append("\"}");
    }
    PaymentLoad.Payment p = new PaymentLoad.Payment(key, 10_000);
    p.last =
        JSON.readTree(
            "{\"state\":\""
                + state
                + "\",\"signing\":{\"attempts\":"
                + attempts
                + "},\"history\":["
                + history
                + "]}");
    return p;
  }

  @Test
  void holdsWhenEveryPaymentWasSignedAndNoneFailed() throws Exception {
    SignerLiveness.Outcome outcome =
        SignerLiveness.check(
            List.of(
                payment(
                    "a", "confirmed", 1, "voting", "approved", "signing", "signed", "confirmed"),
                payment("b", "broadcasting", 2, "voting", "approved", "signing", "signed")));

    assertThat(outcome.violations()).isEmpty();
    assertThat(outcome.notes())
        .containsExactly(
            "liveness held: every payment signed, none failed (2 of 2 signed)",
            "signing sessions per payment: mean 1.50, max 2  (signing.attempts, n=2)");
  }

  @Test
  void aFailedPaymentBreaksThePromise() throws Exception {
    SignerLiveness.Outcome outcome =
        SignerLiveness.check(
            List.of(
                payment("a", "confirmed", 1, "signing", "signed", "confirmed"),
                payment("b", "failed", 3, "voting", "approved", "signing", "failed")));

    assertThat(outcome.violations())
        .containsExactly("liveness: b failed (failed) with one faulty signer");
    assertThat(outcome.notes().get(0)).startsWith("liveness BROKEN: 1 payment(s)");
  }

  @Test
  void aPaymentNeverSignedBreaksThePromiseEvenIfNotFailed() throws Exception {
    SignerLiveness.Outcome outcome =
        SignerLiveness.check(List.of(payment("c", "signing", 4, "voting", "approved", "signing")));

    assertThat(outcome.violations())
        .containsExactly("liveness: c was never signed (still signing)");
  }
}
