package io.mpcw.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.hostile.FuzzRun;
import io.mpcw.hostile.HostileRequests;
import io.mpcw.hostile.RawHttp;
import io.mpcw.hostile.ResponseCheck;
import io.mpcw.registry.RegistryIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to the registry, signed (so it reaches the JSON reader) and unsigned (raw bytes on
 * both ports, a few hundred generated with a fixed, printed seed).
 */
class HostileInputTest extends RegistryIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODES = "/api/v1/cluster/nodes";

  private static String nodeBody(String nodeId, String version) {
    return "{\"node_id\":\""
        + nodeId
        + "\",\"quic_address\":\"127.0.0.1:7101\","
        + "\"management_url\":\"http://127.0.0.1:8101\",\"version\":\""
        + version
        + "\"}";
  }

  private void assertProblem(Response response, int status, String field) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.raw().body()).doesNotContain("Exception", "jackson", "java.");
    if (field != null) {
      assertThat(response.body().get("errors").findValuesAsText("field")).contains(field);
    }
  }

  @Test
  void refusesANulCharacterOrLoneSurrogateInATextFieldNamingIt() {
    assertProblem(send("POST", NODES, nodeBody("node-1", "1\\u0000")), 400, "version");
    assertProblem(send("POST", NODES, nodeBody("node-1", "\\udc00")), 400, "version");
    assertThat(storedNodes()).isZero();
  }

  @Test
  void refusesAnArrayOrScalarOrTrailingGarbageAsTheBody() {
    assertProblem(send("POST", NODES, "[" + nodeBody("node-1", "1") + "]"), 400, null);
    assertProblem(send("POST", NODES, "7"), 400, null);
    assertProblem(send("POST", NODES, nodeBody("node-1", "1") + "{}"), 400, null);
    assertThat(storedNodes()).isZero();
  }

  @Test
  void refusesANumberGivenAsAStringInAHeartbeat() {
    register("node-1");
    assertProblem(
        send("PUT", NODES + "/node-1/heartbeat", "{\"cpu_load\":5,\"in_flight_sessions\":\"1\"}"),
        400,
        "in_flight_sessions");
  }

  @Test
  void answersTomcatsOwnRefusalsWithProblemJsonOnBothPorts() throws Exception {
    for (int to : new int[] {port, managementPort}) {
      for (String raw :
          List.of(
              "GET /api/v1/cluster/nodes/%2F HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
              "GET /actuator/health/%2F HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
              "GET /x\u0001y HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
              "GET /actuator/health/;x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
              "GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")) {
        RawHttp.Response response =
            new RawHttp(to, Duration.ofSeconds(10))
                .send(raw.getBytes(StandardCharsets.ISO_8859_1))
                .orElseThrow();
        assertThat(response.status()).as(raw).isBetween(400, 499);
        assertThat(response.contentType()).as(raw).startsWith("application/problem+json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(response.status());
        assertThat(body.path("detail").asText()).doesNotContain("Exception", "Tomcat");
      }
    }
  }

  @Test
  void hostileRequestsOnBothPortsGetNo5xxAndOnlyProblemJson() {
    long seed = Long.getLong("mpcw.fuzz.seed", 20261204L);
    System.out.println(
        "registry fuzz seed " + seed + " (replay with -Dmpcw.fuzz.seed=" + seed + ")");
    HostileRequests api =
        new HostileRequests(
            "registry-api",
            Optional.empty(),
            List.of(
                new HostileRequests.JsonPost(
                    NODES,
                    HostileRequests.fields(
                        "node_id", "\"node-9\"",
                        "quic_address", "\"127.0.0.1:1\"",
                        "management_url", "\"http://127.0.0.1:1\"",
                        "version", "\"1\""),
                    "node_id",
                    Optional.empty())),
            List.of(NODES, NODES + "/node-1/heartbeat"),
            List.of());
    HostileRequests management =
        new HostileRequests(
            "registry-management",
            Optional.empty(),
            List.of(),
            List.of("/actuator/health", "/actuator/prometheus"),
            List.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    Random random = new Random(seed);
    List<FuzzRun.Report> reports =
        List.of(
            new FuzzRun(api, port, ResponseCheck.Dialect.PROBLEM).run(200, random, deadline),
            new FuzzRun(management, managementPort, ResponseCheck.Dialect.PROBLEM)
                .run(100, random, deadline));
    for (FuzzRun.Report report : reports) {
      System.out.println(report.surface() + ": " + report.sent() + " sent, " + report.byStatus());
      report.findings().forEach(f -> System.out.println("  finding: " + f));
    }
    assertThat(reports).allSatisfy(r -> assertThat(r.findings()).isEmpty());
    assertThat(storedNodes()).isZero();
  }
}
