package io.mpcw.systemtest.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The stack of docker/docker-compose.yml, built and started as a user does, pushes one payment to
 * {@code confirmed}: the default wallet's DKG, a faucet payment from the chain simulator, the
 * payment through voting, signing, broadcast and confirmation; then Prometheus must scrape every
 * target and Grafana must serve the dashboard. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeTest {
  private static final Duration STARTUP = Duration.ofMinutes(15);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Set<String> FAILED =
      Set.of("rejected", "aborted_byzantine", "failed", "cancelled");

  /** A valid regtest P2TR address nobody holds the key of. */
  private static final String RECIPIENT =
      "bcrt1pqypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwxqergd3c8g7rusq58nmtx";

  private static final String SUBMIT_KEY = "smoke_s_" + random();
  private static final String READ_KEY = "smoke_r_" + random();
  private static final String CHAIN_USER = "smoke";
  private static final String CHAIN_PASSWORD = random();

  @Container
  static final ComposeContainer STACK =
      new ComposeContainer(Repo.docker().resolve("docker-compose.yml").toFile())
          .withLocalCompose(true)
          .withBuild(true)
          .withEnv(
              Map.of(
                  "MPCW_SUBMIT_KEY", SUBMIT_KEY,
                  "MPCW_READ_KEY", READ_KEY,
                  "MPCW_CHAIN_RPC_USER", CHAIN_USER,
                  "MPCW_CHAIN_RPC_PASSWORD", CHAIN_PASSWORD))
          .withExposedService(
              "orchestrator", 8081, Wait.forHealthcheck().withStartupTimeout(STARTUP))
          .withExposedService("chain", 18443, Wait.forHealthcheck().withStartupTimeout(STARTUP))
          .withExposedService("prometheus", 9090, Wait.forHealthcheck().withStartupTimeout(STARTUP))
          .withExposedService("grafana", 3000, Wait.forHealthcheck().withStartupTimeout(STARTUP));

  @Test
  void aPaymentGoesFromSubmissionToConfirmed() throws Exception {
    String api = url("orchestrator", 8081);
    JsonNode wallet =
        await(
            Duration.ofMinutes(3),
            "the default wallet's DKG",
            () ->
                get(api + "/api/v1/wallets", READ_KEY)
                    .flatMap(
                        list -> {
                          for (JsonNode w : list.path("wallets")) {
                            if (w.path("is_default").asBoolean(false)
                                && "ready".equals(w.path("status").asText())) {
                              return Optional.of(w);
                            }
                          }
                          return Optional.empty();
                        }));
    String address = wallet.path("address").asText();

    String chain = url("chain", 18443);
    rpc(chain, "sendtoaddress", "[\"" + address + "\", 0.01]");
    rpc(chain, "generatetoaddress", "[1, \"" + address + "\"]");

    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api + "/api/v1/transactions"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + SUBMIT_KEY)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"recipient\":\"" + RECIPIENT + "\",\"amount_sats\":10000}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Repo.JSON.readTree(created.body()).path("id").asText();

    JsonNode confirmed =
        await(
            Duration.ofMinutes(3),
            "transaction " + id + " confirmed",
            () -> {
              Optional<JsonNode> tx = get(api + "/api/v1/transactions/" + id, READ_KEY);
              tx.filter(t -> FAILED.contains(t.path("state").asText()))
                  .ifPresent(t -> fail("the payment ended " + t.path("state").asText() + ": " + t));
              return tx.filter(t -> "confirmed".equals(t.path("state").asText()));
            });
    assertThat(confirmed.path("chain").path("confirmations").asInt()).isPositive();
    assertThat(confirmed.path("voting").path("approvals").asInt()).isGreaterThanOrEqualTo(4);

    String prometheus = url("prometheus", 9090);
    JsonNode targets =
        await(
            Duration.ofMinutes(1),
            "every scrape target up",
            () ->
                get(prometheus + "/api/v1/targets?state=active", null)
                    .filter(
                        t -> {
                          JsonNode active = t.path("data").path("activeTargets");
                          if (active.size() < 12) {
                            return false;
                          }
                          for (JsonNode target : active) {
                            if (!"up".equals(target.path("health").asText())) {
                              return false;
                            }
                          }
                          return true;
                        }));
    assertThat(targets.path("data").path("activeTargets")).hasSize(12);
    assertThat(get(url("grafana", 3000) + "/api/dashboards/uid/mpcw-pipeline", null)).isPresent();
  }

  private static String url(String service, int port) {
    return "http://"
        + STACK.getServiceHost(service, port)
        + ":"
        + STACK.getServicePort(service, port);
  }

  private static Optional<JsonNode> get(String url, String key) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
      if (key != null) {
        request.header("Authorization", "Bearer " + key);
      }
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(Repo.JSON.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode rpc(String url, String method, String params) throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString((CHAIN_USER + ":" + CHAIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"1.0\",\"id\":\"smoke\",\"method\":\""
                            + method
                            + "\",\"params\":"
                            + params
                            + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = Repo.JSON.readTree(response.body());
    assertThat(body.path("error").isNull()).as(method + ": " + response.body()).isTrue();
    return body.path("result");
  }

  private interface Poll {
    Optional<JsonNode> attempt() throws Exception;
  }

  private static JsonNode await(Duration timeout, String what, Poll poll) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> result = poll.attempt();
      if (result.isPresent()) {
        return result.get();
      }
      Thread.sleep(1000);
    }
    return fail("timed out waiting for " + what);
  }

  private static String random() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
