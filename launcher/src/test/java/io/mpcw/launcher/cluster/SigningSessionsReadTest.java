package io.mpcw.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningSessionsReadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode tx(String signing) throws Exception {
    return JSON.readTree("{\"id\":\"t\",\"signing\":" + signing + "}");
  }

  @Test
  void readsTodaysAttemptCount() throws Exception {
    assertThat(SigningSessionsRead.of(tx("{\"signers\":[],\"attempts\":2}")))
        .contains(new SigningSessionsRead.Count(2, "signing.attempts"));
  }

  @Test
  void prefersSessionsOnceTheRecordCarriesThemAsACountOrAList() throws Exception {
    assertThat(SigningSessionsRead.of(tx("{\"attempts\":1,\"sessions\":3}")))
        .contains(new SigningSessionsRead.Count(3, "signing.sessions"));
    assertThat(SigningSessionsRead.of(tx("{\"attempts\":1,\"sessions\":[{},{}]}")))
        .contains(new SigningSessionsRead.Count(2, "signing.sessions"));
  }

  @Test
  void aRecordWithoutEitherFieldCountsNothing() throws Exception {
    assertThat(SigningSessionsRead.of(tx("{\"signers\":[]}"))).isEmpty();
    assertThat(SigningSessionsRead.of(JSON.readTree("{}"))).isEmpty();
  }

  @Test
  void summaryGivesMeanMaxAndTheFieldRead() {
    assertThat(
            SigningSessionsRead.summary(
                List.of(
                    new SigningSessionsRead.Count(1, "signing.attempts"),
                    new SigningSessionsRead.Count(3, "signing.attempts"))))
        .isEqualTo("mean 2.00, max 3  (signing.attempts, n=2)");
    assertThat(SigningSessionsRead.summary(List.of())).startsWith("n=0");
  }
}
