package io.mpcw.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.node.registry.FakeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "mpcw.node.node-id=node-3",
      "mpcw.node.cluster-token=" + NodeApplicationTest.TOKEN,
      "mpcw.node.heartbeat-interval=200ms"
    })
@AutoConfigureObservability(tracing = false)
class NodeApplicationTest {
  static final String TOKEN = "node-app-test-token";
  private static final FakeRegistry REGISTRY = FakeRegistry.start(0, TOKEN);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("mpcw.node.registry-url", REGISTRY::url);
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.close();
  }

  @Test
  void startsRegistersAndServesHealthAndPrometheus() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (REGISTRY.requests("PUT").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(REGISTRY.knows("node-3")).isTrue();
    assertThat(REGISTRY.requests("POST").get(0).body())
        .contains("\"management_url\":\"http://127.0.0.1:" + port + "\"");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    HttpResponse<String> prometheus = get("/actuator/prometheus");
    assertThat(prometheus.statusCode()).isEqualTo(200);
    assertThat(prometheus.body())
        .contains("node_registry_heartbeats_total{")
        .contains("outcome=\"registered\"")
        .contains("node_registry_reachable{");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
