package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopBenchTest {
  @Test
  void eachFaultySignerNameMapsToTheNodesFaultSwitch() {
    assertThat(FaultySigner.NAMES).containsExactlyInAnyOrderElementsOf(FaultySigner.MODES.keySet());
    assertThat(FaultySigner.MODES)
        .containsEntry("slow", "slow-signer")
        .containsEntry("withhold-share", "withhold-share")
        .containsEntry("silent", "silent")
        .containsEntry("bad-share", "bad-share")
        .containsEntry("none", "none");
  }

  @Test
  void aNodeWasAskedToSignWhenAnyAttemptListsIt() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode retried =
        json.readTree(
            "{\"signing\":{\"signers\":[\"node-1\",\"node-2\",\"node-3\"],\"attempts\":2,"
                + "\"attempts_detail\":[{\"signers\":[\"node-1\",\"node-2\",\"node-5\"]},"
                + "{\"signers\":[\"node-1\",\"node-2\",\"node-3\"]}]}}");

    assertThat(OpenLoopReport.askedToSign(retried, "node-5")).isTrue();
    assertThat(OpenLoopReport.askedToSign(retried, "node-4")).isFalse();
  }

  @Test
  void signedIsReachedBySignedOrAnyLaterStateAndByEveryFinalState() {
    assertThat(PaymentDrain.reached("broadcasting", "signed")).isTrue();
    assertThat(PaymentDrain.reached("failed", "signed")).isTrue();
    assertThat(PaymentDrain.reached("signing", "signed")).isFalse();
    assertThat(PaymentDrain.reached("broadcasting", "confirmed")).isFalse();
    assertThat(PaymentDrain.reached(null, "signed")).isFalse();
  }

  @Test
  void likeFailuresGroupTogetherWhateverTheirIdsAndNumbers() {
    assertThat(
            OpenLoopReport.reasonPattern(
                "signing timed out after 30 s (attempt 2), tx 0c5d2e4a-1111-2222-3333-444455556666"))
        .isEqualTo(
            OpenLoopReport.reasonPattern(
                "signing timed out after 31 s (attempt 3), tx f59b08d5-3c1e-4f0b-9d0e-6a4f3b2c1d7e"));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> sorted = new java.util.ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      sorted.add((double) i);
    }

    assertThat(OpenLoopReport.percentile(sorted, 50)).isEqualTo(50.0);
    assertThat(OpenLoopReport.percentile(sorted, 99)).isEqualTo(99.0);
    assertThat(OpenLoopReport.percentile(List.of(7.0), 95)).isEqualTo(7.0);
  }
}
