package io.mpcw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopBenchTest {
  @Test
  void optionsDefaultToOneCoinPerPaymentWithAMargin() {
    OpenLoopBench.Options o =
        OpenLoopBench.Options.parse(List.of("--rate", "2.5", "--seconds", "40"));

    assertThat(o.count()).isEqualTo(100);
    assertThat(o.coins()).isEqualTo(115);
    assertThat(o.until()).isEqualTo("signed");
  }

  @Test
  void allSignersStayAsStartedUnlessAFaultySignerIsAsked() {
    assertThat(OpenLoopBench.Options.parse(List.of("--rate", "5")).faultySigner()).isEmpty();
    assertThat(
            OpenLoopBench.Options.parse(List.of("--rate", "5", "--faulty-signer", "slow"))
                .faultySigner())
        .contains("slow");
  }

  @Test
  void aFaultySignerModeOutsideTheFiveIsRefused() {
    assertThatThrownBy(() -> OpenLoopBench.Options.parse(List.of("--faulty-signer", "reject-all")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--faulty-signer")
        .hasMessageContaining("withhold-share");
    assertThatThrownBy(() -> OpenLoopBench.Options.parse(List.of("--faulty-signer")))
        .isInstanceOf(IllegalArgumentException.class);
  }

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

    assertThat(OpenLoopBench.askedToSign(retried, "node-5")).isTrue();
    assertThat(OpenLoopBench.askedToSign(retried, "node-4")).isFalse();
  }

  @Test
  void anUnknownTargetStateIsRefused() {
    assertThatThrownBy(() -> OpenLoopBench.Options.parse(List.of("--until", "approved")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--until");
  }

  @Test
  void aRateOutsideItsBoundsIsRefused() {
    assertThatThrownBy(() -> OpenLoopBench.Options.parse(List.of("--rate", "500")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> OpenLoopBench.Options.parse(List.of("--rate", "fast")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate");
  }

  @Test
  void moreThanTwentyThousandPaymentsAreRefused() {
    assertThatThrownBy(
            () -> OpenLoopBench.Options.parse(List.of("--rate", "100", "--seconds", "600")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("20000");
  }

  @Test
  void signedIsReachedBySignedOrAnyLaterStateAndByEveryFinalState() {
    assertThat(OpenLoopBench.reached("broadcasting", "signed")).isTrue();
    assertThat(OpenLoopBench.reached("failed", "signed")).isTrue();
    assertThat(OpenLoopBench.reached("signing", "signed")).isFalse();
    assertThat(OpenLoopBench.reached("broadcasting", "confirmed")).isFalse();
    assertThat(OpenLoopBench.reached(null, "signed")).isFalse();
  }

  @Test
  void likeFailuresGroupTogetherWhateverTheirIdsAndNumbers() {
    assertThat(
            OpenLoopBench.reasonPattern(
                "signing timed out after 30 s (attempt 2), tx 0c5d2e4a-1111-2222-3333-444455556666"))
        .isEqualTo(
            OpenLoopBench.reasonPattern(
                "signing timed out after 31 s (attempt 3), tx f59b08d5-3c1e-4f0b-9d0e-6a4f3b2c1d7e"));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> sorted = new java.util.ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      sorted.add((double) i);
    }

    assertThat(OpenLoopBench.percentile(sorted, 50)).isEqualTo(50.0);
    assertThat(OpenLoopBench.percentile(sorted, 99)).isEqualTo(99.0);
    assertThat(OpenLoopBench.percentile(List.of(7.0), 95)).isEqualTo(7.0);
  }
}
