package io.mpcw.chain.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.hostile.FuzzRun;
import io.mpcw.hostile.HostileRequests;
import io.mpcw.hostile.RawHttp;
import io.mpcw.hostile.ResponseCheck;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What is not a JSON-RPC call at all (no credentials, wrong path or method) is answered with
 * problem JSON; JSON-RPC errors keep bitcoind's shape; generated hostile requests get neither HTML,
 * a stack trace nor an answer that is not one of the two.
 */
class HostileHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH =
      "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));
  private static ChainSimulator chain;
  private static int port;

  @BeforeAll
  static void start() {
    chain = ChainSimulator.builder().credentials("user", "pass").build().start();
    port = URI.create(chain.url()).getPort();
  }

  @AfterAll
  static void stop() {
    chain.close();
  }

  private static RawHttp.Response send(String raw) throws Exception {
    return new RawHttp(port, Duration.ofSeconds(10))
        .send(raw.getBytes(StandardCharsets.ISO_8859_1))
        .orElseThrow();
  }

  private static void assertProblem(RawHttp.Response response, int status) throws Exception {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(JSON.readTree(response.body()).path("status").asInt()).isEqualTo(status);
  }

  @Test
  void refusesMissingCredentialsWithAProblemAndABasicChallenge() throws Exception {
    RawHttp.Response response =
        send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assertProblem(response, 401);
    assertThat(response.headers().get("www-authenticate")).startsWith("Basic");
  }

  @Test
  void refusesAWrongPathOrMethodWithAProblem() throws Exception {
    assertProblem(
        send(
            "POST /nothing HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + AUTH
                + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"),
        404);
    assertProblem(
        send(
            "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + AUTH
                + "\r\nConnection: close\r\n\r\n"),
        405);
  }

  @Test
  void servesHealthAndMetricsToGetOnly() throws Exception {
    assertProblem(send("DELETE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405);
    assertProblem(send("PUT /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405);
  }

  @Test
  void refusesWhatHttp11ForbidsWithA400Problem() throws Exception {
    assertProblem(send("GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
    assertProblem(send("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
    assertProblem(send("GET /health HTTP/3.0\r\nHost: a\r\n\r\n"), 400);
    assertProblem(send("GET /health HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n"), 400);
    assertProblem(send("GET /health HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n"), 400);
  }

  @Test
  void hostileRequestsGetProblemJsonOrJsonRpcErrorsOnly() {
    long seed = Long.getLong("mpcw.fuzz.seed", 20261204L);
    System.out.println("chain fuzz seed " + seed + " (replay with -Dmpcw.fuzz.seed=" + seed + ")");
    HostileRequests requests =
        new HostileRequests(
            "chain-rpc",
            Optional.of(AUTH),
            List.of(
                new HostileRequests.JsonPost(
                    "/",
                    HostileRequests.fields(
                        "jsonrpc", "\"1.0\"",
                        "id", "1",
                        "method", "\"getblockhash\"",
                        "params", "[\"not-a-height\"]"),
                    "method",
                    Optional.of("id"))),
            List.of("/", "/wallet/default"),
            List.of());
    FuzzRun.Report report =
        new FuzzRun(requests, port, ResponseCheck.Dialect.JSON_RPC)
            .run(200, new Random(seed), System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
    System.out.println("chain fuzz: " + report.sent() + " sent, " + report.byStatus());
    report.findings().forEach(f -> System.out.println("  finding: " + f));
    assertThat(report.findings()).isEmpty();
  }
}
