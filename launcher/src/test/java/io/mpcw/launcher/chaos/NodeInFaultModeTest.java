package io.mpcw.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one node-5 fault: what differs between a Byzantine voter and a faulty signer. */
class NodeInFaultModeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A payment that failed in signing: what breaks a faulty signer's liveness promise. */
  private static List<PaymentLoad.Payment> oneFailedInSigning() throws Exception {
    PaymentLoad.Payment p = new PaymentLoad.Payment("k", 10_000);
    p.last =
        JSON.readTree(
            "{\"state\":\"failed\",\"signing\":{\"attempts\":3},"
                + "\"history\":[{\"to\":\"signing\"},{\"to\":\"failed\"}]}");
    return List.of(p);
  }

  @Test
  void aFaultySignerPromisesLivenessAndReportsItsBreach() throws Exception {
    Fault signer = NodeInFaultMode.faultySigner("slow-signer", null);

    assertThat(signer.promise(oneFailedInSigning()))
        .containsExactly("liveness: k failed (failed) with one faulty signer");
    assertThat(signer.notes()).first().asString().startsWith("liveness BROKEN");
    assertThat(signer.window()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aByzantineVoterPromisesNothingBeyondTheInvariants() throws Exception {
    Fault voter = NodeInFaultMode.byzantine("reject-all", null);

    assertThat(voter.promise(oneFailedInSigning())).isEmpty();
    assertThat(voter.notes()).isEmpty();
    assertThat(voter.window()).isEqualTo(Duration.ofSeconds(15));
  }
}
