package io.mpcw.registry.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.RegistryIntegrationTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeApiTest extends RegistryIntegrationTest {

  @Test
  void registersNewNodeWith201AndLocation() {
    Response response = register("node-1");

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("Location")).isEqualTo("/api/v1/cluster/nodes/node-1");
    assertThat(response.body().get("node_id").asText()).isEqualTo("node-1");
    assertThat(response.body().get("quic_address").asText()).isEqualTo("127.0.0.1:7101");
    assertThat(response.body().get("management_url").asText()).isEqualTo("http://127.0.0.1:8101");
    assertThat(response.body().get("status").asText()).isEqualTo("active");
    assertThat(response.body().get("last_heartbeat").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(response.body().get("version").asText()).isEqualTo("0.1.0");
  }

  @Test
  void registeringAgainAnswers200AndUpdatesTheAddress() {
    register("node-1");
    clock.advance(Duration.ofSeconds(3));

    Response again = send("POST", "/api/v1/cluster/nodes", registration("node-1", "10.0.0.7:7200"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("quic_address").asText()).isEqualTo("10.0.0.7:7200");
    assertThat(again.body().get("last_heartbeat").asText()).isEqualTo("2026-01-01T00:00:03Z");
    assertThat(storedNodes()).isEqualTo(1);
  }

  @Test
  void acceptsHostnameAndIpv6QuicAddresses() {
    assertThat(send("POST", "/api/v1/cluster/nodes", registration("node-1", "[::1]:7101")).status())
        .isEqualTo(201);
    assertThat(
            send("POST", "/api/v1/cluster/nodes", registration("node-2", "node-2.mpcw.local:7102"))
                .status())
        .isEqualTo(201);
  }

  @Test
  void heartbeatRecordsLoadAndTime() {
    register("node-1");
    clock.advance(Duration.ofSeconds(5));

    Response response = heartbeat("node-1", 42.5, 3);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().get("cpu_load").asDouble()).isEqualTo(42.5);
    assertThat(response.body().get("in_flight_sessions").asInt()).isEqualTo(3);
    assertThat(response.body().get("last_heartbeat").asText()).isEqualTo("2026-01-01T00:00:05Z");
    assertThat(list().body().at("/nodes/0/cpu_load").asDouble()).isEqualTo(42.5);
  }

  @Test
  void heartbeatMayMoveTheQuicAddress() {
    register("node-1");

    send(
        "PUT",
        "/api/v1/cluster/nodes/node-1/heartbeat",
        "{\"cpu_load\":1,\"in_flight_sessions\":0,\"quic_address\":\"node-1.local:7300\"}");

    assertThat(list().body().at("/nodes/0/quic_address").asText()).isEqualTo("node-1.local:7300");
  }

  @Test
  void heartbeatOfUnknownNodeIs404ProblemSoTheNodeRegistersAgain() {
    Response response = heartbeat("node-9", 10, 0);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.body().get("type").asText()).isEqualTo("urn:mpcw:problem:not-found");
    assertThat(response.body().get("node_id").asText()).isEqualTo("node-9");
    assertThat(storedNodes()).isZero();
  }

  @Test
  void deregisterRemovesTheNodeAndIsIdempotent() {
    register("node-1");

    assertThat(send("DELETE", "/api/v1/cluster/nodes/node-1", null).status()).isEqualTo(204);
    assertThat(send("DELETE", "/api/v1/cluster/nodes/node-1", null).status()).isEqualTo(204);
    assertThat(list().body().get("nodes")).isEmpty();
    assertThat(heartbeat("node-1", 1, 0).status()).isEqualTo(404);
  }

  @Test
  void listIsSortedByNodeIdAndReportsSilence() {
    register("node-3");
    register("node-1");
    register("node-2");
    clock.advance(Duration.ofSeconds(4));

    Response response = list();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().get("nodes").findValuesAsText("node_id"))
        .containsExactly("node-1", "node-2", "node-3");
    assertThat(response.body().at("/nodes/0/seconds_since_heartbeat").asLong()).isEqualTo(4);
  }

  @Test
  void listFiltersByStatus() {
    register("node-1");
    register("node-2");
    jdbc.sql("UPDATE nodes SET status = 'dead' WHERE node_id = 'node-1'").update();

    Response active = send("GET", "/api/v1/cluster/nodes?status=active", null);
    Response dead = send("GET", "/api/v1/cluster/nodes?status=dead", null);

    assertThat(active.body().get("nodes").findValuesAsText("node_id")).containsExactly("node-2");
    assertThat(dead.body().get("nodes").findValuesAsText("node_id")).containsExactly("node-1");
  }

  @Test
  void servesTheOpenApiDocumentWithoutToken() {
    Response response = send("GET", "/v3/api-docs", null, Map.of());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().at("/paths").has("/api/v1/cluster/nodes/{node_id}/heartbeat"))
        .isTrue();
  }
}
