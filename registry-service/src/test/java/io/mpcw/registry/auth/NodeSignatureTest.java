package io.mpcw.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.RegistryIntegrationTest;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.SignedRequests;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSignatureTest extends RegistryIntegrationTest {
  private static final Map<String, String> TOKEN_ONLY = Map.of("Authorization", "Bearer " + TOKEN);

  private Response write(String method, String path, String body, Map<String, String> signature) {
    Map<String, String> headers = new HashMap<>(TOKEN_ONLY);
    headers.putAll(signature);
    return sendRaw(method, path, body, headers);
  }

  private static final String NODES = "/api/v1/cluster/nodes";

  @Test
  void aNodeRegistersHeartbeatsAndLeavesWithItsOwnCertificateWhichTheListServes() {
    String body = registration("node-7", "127.0.0.1:7107");
    assertThat(write("POST", NODES, body, signedAs("node-7", "POST", NODES, body)).status())
        .isEqualTo(201);

    Response listed = list();
    assertThat(listed.body().get("nodes").get(0).get("certificate").asText())
        .startsWith("-----BEGIN CERTIFICATE-----");

    String beatPath = NODES + "/node-7/heartbeat";
    String beat = "{\"cpu_load\":3.5,\"in_flight_sessions\":0}";
    assertThat(write("PUT", beatPath, beat, signedAs("node-7", "PUT", beatPath, beat)).status())
        .isEqualTo(200);
    String nodePath = NODES + "/node-7";
    assertThat(
            write("DELETE", nodePath, null, signedAs("node-7", "DELETE", nodePath, null)).status())
        .isEqualTo(204);
  }

  @Test
  void aClusterMemberCannotRegisterHeartbeatOrDeregisterAsAnotherNode() {
    register("node-8");
    String body = registration("node-8", "127.0.0.1:7999");
    Response register = write("POST", NODES, body, signedAs("node-9", "POST", NODES, body));
    String beatPath = NODES + "/node-8/heartbeat";
    String beat = "{\"cpu_load\":1,\"in_flight_sessions\":0}";
    Response heartbeat =
        write("PUT", beatPath, beat, signedAs("orchestrator", "PUT", beatPath, beat));
    String nodePath = NODES + "/node-8";
    Response delete = write("DELETE", nodePath, null, signedAs("node-9", "DELETE", nodePath, null));

    assertThat(register.status()).isEqualTo(403);
    assertThat(register.body().get("type").asText()).isEqualTo("urn:mpcw:problem:forbidden");
    assertThat(heartbeat.status()).isEqualTo(403);
    assertThat(delete.status()).isEqualTo(403);
    assertThat(list().body().get("nodes").get(0).get("quic_address").asText())
        .isEqualTo("127.0.0.1:7101");
  }

  @Test
  void refusesUnsignedTamperedAndForeignSignaturesWithProblemJson() throws Exception {
    String body = registration("node-6", "127.0.0.1:7106");
    Map<String, String> good = signedAs("node-6", "POST", NODES, body);

    Response unsigned = write("POST", NODES, body, Map.of());
    Response tampered = write("POST", NODES, body.replace("7106", "7666"), good);
    ClusterPki other = new ClusterPki(Files.createTempDirectory("foreign-").resolve("pki"));
    other.init(List.of("node-6"));
    Response foreign =
        write(
            "POST",
            NODES,
            body,
            SignedRequests.headers(
                other.loadIdentity("node-6"),
                "POST",
                NODES,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.time.Instant.now()));
    Response stale =
        write(
            "POST",
            NODES,
            body,
            SignedRequests.headers(
                identity("node-6"),
                "POST",
                NODES,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.time.Instant.now().minusSeconds(120)));

    for (Response r : List.of(unsigned, tampered, foreign, stale)) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(unsigned.body().get("detail").asText()).contains("missing headers");
    assertThat(tampered.body().get("detail").asText()).contains("bad signature");
    assertThat(foreign.body().get("detail").asText()).contains("untrusted certificate");
    assertThat(stale.body().get("detail").asText()).contains("clock skew");
    assertThat(storedNodes()).isZero();
  }
}
