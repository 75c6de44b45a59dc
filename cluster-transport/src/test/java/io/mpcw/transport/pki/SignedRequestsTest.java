package io.mpcw.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignedRequestsTest {
  private static final Instant NOW = Instant.now();
  private static final Duration SKEW = Duration.ofSeconds(60);
  private static final byte[] BODY = "{\"cpu_load\":12}".getBytes(StandardCharsets.UTF_8);
  private static final String PATH = "/api/v1/cluster/nodes/node-1/heartbeat";
  private static ClusterPki pki;
  private static ClusterPki otherPki;

  @BeforeAll
  static void pki() throws Exception {
    pki = new ClusterPki(Files.createTempDirectory("sig-").resolve("pki"));
    pki.init(List.of("node-1"));
    otherPki = new ClusterPki(Files.createTempDirectory("sig-other-").resolve("pki"));
    otherPki.init(List.of("node-1"));
  }

  private static SignedRequests.Verification verify(
      Map<String, String> headers, String path, byte[] body, Instant at) {
    return SignedRequests.verify(pki.caCertificate(), "PUT", path, body, headers::get, at, SKEW);
  }

  @Test
  void aRequestSignedByAClusterIdentityVerifiesAndNamesTheCaller() {
    Map<String, String> headers =
        SignedRequests.headers(pki.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    SignedRequests.Verification v = verify(headers, PATH, BODY, NOW.plusSeconds(5));
    assertThat(v.refusal()).isEmpty();
    assertThat(v.caller().orElseThrow().name()).isEqualTo("node-1");
  }

  @Test
  void refusesEveryTamperingAndEveryMissingPiece() {
    Map<String, String> headers =
        SignedRequests.headers(pki.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    assertThat(verify(headers, PATH.replace("node-1", "node-2"), BODY, NOW).refusal())
        .contains(SignedRequests.Refusal.BAD_SIGNATURE);
    assertThat(
            verify(headers, PATH, "{\"cpu_load\":99}".getBytes(StandardCharsets.UTF_8), NOW)
                .refusal())
        .contains(SignedRequests.Refusal.BAD_SIGNATURE);
    assertThat(verify(headers, PATH, BODY, NOW.plusSeconds(61)).refusal())
        .contains(SignedRequests.Refusal.CLOCK_SKEW);
    Map<String, String> missing = new HashMap<>(headers);
    missing.remove(SignedRequests.SIGNATURE);
    assertThat(verify(missing, PATH, BODY, NOW).refusal())
        .contains(SignedRequests.Refusal.MISSING_HEADERS);
    Map<String, String> garbled = new HashMap<>(headers);
    garbled.put(SignedRequests.CERTIFICATE, "not base64 !");
    assertThat(verify(garbled, PATH, BODY, NOW).refusal())
        .contains(SignedRequests.Refusal.BAD_ENCODING);
  }

  @Test
  void refusesACertificateFromAnotherCaAndAnExpiredOne() throws Exception {
    Map<String, String> foreign =
        SignedRequests.headers(otherPki.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    assertThat(verify(foreign, PATH, BODY, NOW).refusal())
        .contains(SignedRequests.Refusal.UNTRUSTED_CERTIFICATE);

    Path dir = Files.createTempDirectory("sig-expired-").resolve("pki");
    ClusterPki shortLived =
        new ClusterPki(
            dir,
            Duration.ofDays(3650),
            Duration.ofHours(1),
            Clock.fixed(NOW.minus(Duration.ofDays(2)), ZoneOffset.UTC));
    shortLived.init(List.of("node-1"));
    Map<String, String> expired =
        SignedRequests.headers(shortLived.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    assertThat(
            SignedRequests.verify(
                    shortLived.caCertificate(), "PUT", PATH, BODY, expired::get, NOW, SKEW)
                .refusal())
        .contains(SignedRequests.Refusal.UNTRUSTED_CERTIFICATE);
  }
}
