package io.mpcw.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.RegistryIntegrationTest;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.SignedRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSignatureTest extends RegistryIntegrationTest {
  private static final String NODES = "/api/v1/cluster/nodes";

  private static Map<String, String> signed(
      ClusterPki pki, String identity, String method, String path, String body, Instant at) {
    return SignedRequests.headers(
        pki.loadIdentity(identity),
        method,
        path,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        at);
  }

  @Test
  void aNodeRegistersHeartbeatsAndLeavesWithItsOwnCertificateWhichTheListServes() {
    String body = registration("node-7", "127.0.0.1:7107");
    assertThat(sendRaw("POST", NODES, body, signedAs("node-7", "POST", NODES, body)).status())
        .isEqualTo(201);

    Response listed = sendRaw("GET", NODES, null, signedAs("orchestrator", "GET", NODES, null));
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body().get("nodes").get(0).get("certificate").asText())
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(sendRaw("GET", NODES, null, signedAs("node-7", "GET", NODES, null)).status())
        .isEqualTo(200);

    String beatPath = NODES + "/node-7/heartbeat";
    String beat = "{\"cpu_load\":3.5,\"in_flight_sessions\":0}";
    assertThat(sendRaw("PUT", beatPath, beat, signedAs("node-7", "PUT", beatPath, beat)).status())
        .isEqualTo(200);
    String nodePath = NODES + "/node-7";
    assertThat(
            sendRaw("DELETE", nodePath, null, signedAs("node-7", "DELETE", nodePath, null))
                .status())
        .isEqualTo(204);
  }

  @Test
  void aClusterMemberCannotRegisterHeartbeatOrDeregisterAsAnotherNode() {
    register("node-8");
    String body = registration("node-8", "127.0.0.1:7999");
    Response register = sendRaw("POST", NODES, body, signedAs("node-9", "POST", NODES, body));
    String beatPath = NODES + "/node-8/heartbeat";
    String beat = "{\"cpu_load\":1,\"in_flight_sessions\":0}";
    Response heartbeat =
        sendRaw("PUT", beatPath, beat, signedAs("orchestrator", "PUT", beatPath, beat));
    String nodePath = NODES + "/node-8";
    Response delete =
        sendRaw("DELETE", nodePath, null, signedAs("node-9", "DELETE", nodePath, null));

    assertThat(register.status()).isEqualTo(403);
    assertThat(register.body().get("type").asText()).isEqualTo("urn:mpcw:problem:forbidden");
    assertThat(heartbeat.status()).isEqualTo(403);
    assertThat(delete.status()).isEqualTo(403);
    assertThat(list().body().get("nodes").get(0).get("quic_address").asText())
        .isEqualTo("127.0.0.1:7101");
  }

  @Test
  void refusesUnsignedTamperedForeignExpiredAndStaleCallsWithProblemJson() throws Exception {
    String body = registration("node-6", "127.0.0.1:7106");
    Map<String, String> good = signedAs("node-6", "POST", NODES, body);
    ClusterPki foreignPki = new ClusterPki(Files.createTempDirectory("foreign-").resolve("pki"));
    foreignPki.init(List.of("node-6"));
    ClusterPki expiredPki =
        new ClusterPki(
            Files.createTempDirectory("expired-").resolve("pki"),
            Duration.ofDays(3650),
            Duration.ofHours(1),
            Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC));
    expiredPki.init(List.of("node-6"));
    Map<String, String> noSignature = new HashMap<>(good);
    noSignature.remove(SignedRequests.SIGNATURE);

    Map<String, Response> refused =
        Map.of(
            "a signature header is missing", sendRaw("POST", NODES, body, Map.of()),
            "a signature header is missing.", sendRaw("POST", NODES, body, noSignature),
            "the signature does not match the request",
                sendRaw("POST", NODES, body.replace("7106", "7666"), good),
            "the certificate was not issued by the cluster CA",
                sendRaw(
                    "POST",
                    NODES,
                    body,
                    signed(foreignPki, "node-6", "POST", NODES, body, Instant.now())),
            "the certificate is expired or not yet valid",
                sendRaw(
                    "POST",
                    NODES,
                    body,
                    signed(expiredPki, "node-6", "POST", NODES, body, Instant.now())),
            "the timestamp is too far from the server clock",
                sendRaw(
                    "POST",
                    NODES,
                    body,
                    SignedRequests.headers(
                        identity("node-6"),
                        "POST",
                        NODES,
                        body.getBytes(StandardCharsets.UTF_8),
                        Instant.now().minusSeconds(120))));
    refused.forEach(
        (reason, response) -> {
          assertThat(response.status()).isEqualTo(401);
          assertThat(response.header("Content-Type")).startsWith("application/problem+json");
          assertThat(response.header("WWW-Authenticate")).isEqualTo("mpcw-sig-v1");
          assertThat(response.body().get("type").asText())
              .isEqualTo("urn:mpcw:problem:unauthorized");
          assertThat(response.body().get("detail").asText()).contains(reason);
          assertThat(response.raw().body()).doesNotContain(good.get(SignedRequests.SIGNATURE));
        });
    assertThat(storedNodes()).isZero();
  }

  @Test
  void aTamperedPathAndAnUnsignedReadAreRefused() {
    register("node-5");
    String beat = "{\"cpu_load\":1,\"in_flight_sessions\":0}";
    Map<String, String> forNode5 = signedAs("node-5", "PUT", NODES + "/node-5/heartbeat", beat);

    assertThat(sendRaw("PUT", NODES + "/node-5/heartbeat?x=1", beat, forNode5).status())
        .isEqualTo(401);
    assertThat(sendRaw("GET", NODES, null, Map.of()).status()).isEqualTo(401);
    assertThat(sendRaw("DELETE", NODES + "/node-5", null, Map.of()).status()).isEqualTo(401);
    assertThat(storedNodes()).isEqualTo(1);
  }

  @Test
  void healthAndPrometheusStayOpen() {
    assertThat(management("/actuator/health").status()).isEqualTo(200);
    assertThat(management("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(management("/actuator/prometheus").status()).isEqualTo(200);
  }
}
