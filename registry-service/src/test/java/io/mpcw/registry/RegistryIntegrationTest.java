package io.mpcw.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.testsupport.junit.PostgresExtension;
import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.pki.SignedRequests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of every registry test that needs the application: one Spring context (same configuration
 * everywhere, so it is cached) on a real PostgreSQL database, with a hand-driven clock. The
 * scheduled sweep is slowed down so that only the tests' own sweeps change liveness.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "mpcw.registry.sweep-interval=1h"})
@AutoConfigureObservability(tracing = false)
@Import(RegistryIntegrationTest.TestClock.class)
public abstract class RegistryIntegrationTest {
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension("registry_it");
  protected static final ClusterPki PKI = testPki();
  private static final Pattern NODE_PATH = Pattern.compile("/api/v1/cluster/nodes/([^/?]+).*");
  private static final Pattern NODE_ID_FIELD = Pattern.compile("\"node_id\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern IDENTITY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", PG::jdbcUrl);
    registry.add("spring.datasource.username", PG::username);
    registry.add("spring.datasource.password", PG::password);
    registry.add("mpcw.pki.dir", () -> PKI.directory().toString());
  }

  private static ClusterPki testPki() {
    try {
      ClusterPki pki = new ClusterPki(Files.createTempDirectory("registry-pki-").resolve("pki"));
      pki.init(List.of("node-1", "orchestrator"));
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Credentials of {@code identity}, issued by the test CA on first use. */
  protected static synchronized IdentityCredentials identity(String identity) {
    PKI.init(List.of(identity));
    return PKI.loadIdentity(identity);
  }

  /** The mpcw-sig-v1 headers {@code identity} adds to a call. */
  protected static Map<String, String> signedAs(
      String identity, String method, String path, String body) {
    return SignedRequests.headers(
        identity(identity),
        method,
        path,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        Instant.now());
  }

  /** Who signs a write in these tests: the node it is about, as a real node would. */
  private static String signerOf(String path, String body) {
    Matcher inPath = NODE_PATH.matcher(path);
    Matcher inBody = NODE_ID_FIELD.matcher(body == null ? "" : body);
    String candidate = inPath.matches() ? inPath.group(1) : inBody.find() ? inBody.group(1) : "";
    return IDENTITY.matcher(candidate).matches() && !candidate.equals("ca") ? candidate : "node-1";
  }

  @TestConfiguration(proxyBeanMethods = false)
  protected static class TestClock {
    @Bean
    @Primary
    MutableClock testClock() {
      return new MutableClock(START);
    }
  }

  @LocalServerPort protected int port;
  @LocalManagementPort protected int managementPort;
  @Autowired protected MutableClock clock;
  @Autowired protected JdbcClient jdbc;
  @Autowired protected ObjectMapper json;

  @BeforeEach
  void cleanState() {
    jdbc.sql("DELETE FROM nodes").update();
    clock.set(START);
  }

  /** A response with its body parsed as JSON (a missing node when the body is empty). */
  protected record Response(int status, HttpResponse<String> raw, JsonNode body) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse("");
    }
  }

  protected Response send(String method, String path, String body) {
    return send(method, path, body, Map.of());
  }

  /**
   * Sends with the given headers; a call without signature headers is signed by the node a write is
   * about, and a read by the orchestrator, as the real callers would.
   */
  protected Response send(String method, String path, String body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    if (!headers.containsKey(SignedRequests.SIGNATURE)) {
      String signer = method.equals("GET") ? "orchestrator" : signerOf(path, body);
      all.putAll(signedAs(signer, method, path, body));
    }
    return sendRaw(method, path, body, all);
  }

  /** Sends exactly these headers. */
  protected Response sendRaw(String method, String path, String body, Map<String, String> headers) {
    return exchange(URI.create("http://127.0.0.1:" + port + path), method, body, headers);
  }

  /** {@link #send(String, String, String)} to another registry replica listening on {@code to}. */
  protected Response sendTo(int to, String method, String path, String body) {
    String signer = method.equals("GET") ? "orchestrator" : signerOf(path, body);
    return exchange(
        URI.create("http://127.0.0.1:" + to + path),
        method,
        body,
        signedAs(signer, method, path, body));
  }

  protected Response management(String path) {
    return exchange(URI.create("http://127.0.0.1:" + managementPort + path), "GET", null, Map.of());
  }

  protected Response register(String nodeId) {
    return send("POST", "/api/v1/cluster/nodes", registration(nodeId, "127.0.0.1:7101"));
  }

  protected Response heartbeat(String nodeId, double cpu, int sessions) {
    return send(
        "PUT",
        "/api/v1/cluster/nodes/" + nodeId + "/heartbeat",
        "{\"cpu_load\":" + cpu + ",\"in_flight_sessions\":" + sessions + "}");
  }

  protected Response list() {
    return send("GET", "/api/v1/cluster/nodes", null);
  }

  protected long storedNodes() {
    return jdbc.sql("SELECT count(*) FROM nodes").query(Long.class).single();
  }

  protected static String registration(String nodeId, String quicAddress) {
    return """
        {"node_id":"%s","quic_address":"%s","management_url":"http://127.0.0.1:8101",\
        "version":"0.1.0"}"""
        .formatted(nodeId, quicAddress);
  }

  private Response exchange(URI uri, String method, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::setHeader);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed =
          response.body().isEmpty() || !looksLikeJson(response)
              ? json.missingNode()
              : json.readTree(response.body());
      return new Response(response.statusCode(), response, parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean looksLikeJson(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElse("").contains("json");
  }
}
