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
  private static final Instant NOW =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
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

  private static SignedRequestVerifier.Result verify(
      Map<String, String> headers, String path, byte[] body, Instant at) {
    return new SignedRequestVerifier(pki.caCertificate(), Clock.fixed(at, ZoneOffset.UTC), SKEW)
        .verify("PUT", path, body, headers::get);
  }

  @Test
  void aRequestSignedByAClusterIdentityVerifiesAndNamesTheCaller() {
    Map<String, String> headers =
        SignedRequests.headers(pki.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    SignedRequestVerifier.Result v = verify(headers, PATH, BODY, NOW.plusSeconds(5));
    assertThat(v.refusal()).isEmpty();
    assertThat(v.caller().orElseThrow().name()).isEqualTo("node-1");
  }

  @Test
  void refusesEveryTamperingAndEveryMissingPiece() {
    Map<String, String> headers =
        SignedRequests.headers(pki.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    assertThat(verify(headers, PATH.replace("node-1", "node-2"), BODY, NOW).refusal())
        .contains(SignedRequestVerifier.Refusal.BAD_SIGNATURE);
    assertThat(
            verify(headers, PATH, "{\"cpu_load\":99}".getBytes(StandardCharsets.UTF_8), NOW)
                .refusal())
        .contains(SignedRequestVerifier.Refusal.BAD_SIGNATURE);
    assertThat(verify(headers, PATH, BODY, NOW.plusSeconds(61)).refusal())
        .contains(SignedRequestVerifier.Refusal.CLOCK_SKEW);
    assertThat(verify(headers, PATH, BODY, NOW.minusSeconds(61)).refusal())
        .contains(SignedRequestVerifier.Refusal.CLOCK_SKEW);
    assertThat(verify(headers, PATH, BODY, NOW.plusSeconds(60)).refusal()).isEmpty();
    Map<String, String> otherMethod = new HashMap<>(headers);
    assertThat(
            new SignedRequestVerifier(pki.caCertificate(), Clock.fixed(NOW, ZoneOffset.UTC), SKEW)
                .verify("DELETE", PATH, BODY, otherMethod::get)
                .refusal())
        .contains(SignedRequestVerifier.Refusal.BAD_SIGNATURE);
    Map<String, String> badTimestamp = new HashMap<>(headers);
    badTimestamp.put(SignedRequests.TIMESTAMP, "yesterday");
    assertThat(verify(badTimestamp, PATH, BODY, NOW).refusal())
        .contains(SignedRequestVerifier.Refusal.BAD_ENCODING);
    Map<String, String> shiftedTimestamp = new HashMap<>(headers);
    shiftedTimestamp.put(SignedRequests.TIMESTAMP, Long.toString(NOW.toEpochMilli() + 1));
    assertThat(verify(shiftedTimestamp, PATH, BODY, NOW).refusal())
        .contains(SignedRequestVerifier.Refusal.BAD_SIGNATURE);
    Map<String, String> missing = new HashMap<>(headers);
    missing.remove(SignedRequests.SIGNATURE);
    assertThat(verify(missing, PATH, BODY, NOW).refusal())
        .contains(SignedRequestVerifier.Refusal.MISSING_HEADER);
    Map<String, String> garbled = new HashMap<>(headers);
    garbled.put(SignedRequests.CERTIFICATE, "not base64 !");
    assertThat(verify(garbled, PATH, BODY, NOW).refusal())
        .contains(SignedRequestVerifier.Refusal.BAD_ENCODING);
  }

  @Test
  void refusesACertificateFromAnotherCaAndAnExpiredOne() throws Exception {
    Map<String, String> foreign =
        SignedRequests.headers(otherPki.loadIdentity("node-1"), "PUT", PATH, BODY, NOW);
    assertThat(verify(foreign, PATH, BODY, NOW).refusal())
        .contains(SignedRequestVerifier.Refusal.UNTRUSTED_CERTIFICATE);

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
            new SignedRequestVerifier(
                    shortLived.caCertificate(), Clock.fixed(NOW, ZoneOffset.UTC), SKEW)
                .verify("PUT", PATH, BODY, expired::get)
                .refusal())
        .contains(SignedRequestVerifier.Refusal.EXPIRED);
  }
}
