package io.mpcw.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.RegistryIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterTokenTest extends RegistryIntegrationTest {

  @Test
  void registrationWithoutTokenIs401AndStoresNothing() {
    Response response =
        send("POST", "/api/v1/cluster/nodes", registration("node-1", "h:1"), Map.of());

    assertUnauthorized(response);
    assertThat(storedNodes()).isZero();
  }

  @Test
  void wrongTokenIs401() {
    assertUnauthorized(
        send(
            "GET",
            "/api/v1/cluster/nodes",
            null,
            Map.of("Authorization", "Bearer " + TOKEN + "x")));
    assertUnauthorized(
        send("GET", "/api/v1/cluster/nodes", null, Map.of("Authorization", "Bearer ")));
    assertUnauthorized(
        send("GET", "/api/v1/cluster/nodes", null, Map.of("Authorization", "Basic " + TOKEN)));
  }

  @Test
  void heartbeatAndDeregisterNeedTheToken() {
    register("node-1");

    assertUnauthorized(
        send(
            "PUT",
            "/api/v1/cluster/nodes/node-1/heartbeat",
            "{\"cpu_load\":1,\"in_flight_sessions\":0}",
            Map.of()));
    assertUnauthorized(send("DELETE", "/api/v1/cluster/nodes/node-1", null, Map.of()));
    assertThat(storedNodes()).isEqualTo(1);
  }

  @Test
  void healthAndPrometheusStayOpen() {
    assertThat(management("/actuator/health").status()).isEqualTo(200);
    assertThat(management("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(management("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(management("/actuator/prometheus").status()).isEqualTo(200);
  }

  private static void assertUnauthorized(Response response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(response.body().get("type").asText()).isEqualTo("urn:mpcw:problem:unauthorized");
    assertThat(response.raw().body()).doesNotContain(TOKEN);
  }
}
