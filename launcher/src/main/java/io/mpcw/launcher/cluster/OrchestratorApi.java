package io.mpcw.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The few orchestrator API calls the launcher makes, with the local read key. */
public final class OrchestratorApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String base;
  private final String readKey;

  public OrchestratorApi(String base, String readKey) {
    this.base = base;
    this.readKey = readKey;
  }

  public static OrchestratorApi local(Layout layout, Credentials credentials) {
    return new OrchestratorApi(layout.orchestratorUrl(), credentials.readKey());
  }

  /** GET {@code path}; empty when the orchestrator is unreachable or answers other than 200. */
  public Optional<JsonNode> get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", "Bearer " + readKey)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * POST {@code body} to {@code path} with {@code key}; the answer's status and JSON body (a
   * non-JSON body as a text node), or empty when the orchestrator is unreachable.
   */
  public Optional<Answer> post(String path, String key, String body, Duration timeout) {
    return post(path, key, body, timeout, java.util.Map.of());
  }

  /** {@link #post(String, String, String, Duration)} with extra headers (Idempotency-Key). */
  public Optional<Answer> post(
      String path,
      String key,
      String body,
      Duration timeout,
      java.util.Map<String, String> headers) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(request::header);
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed;
      try {
        parsed = JSON.readTree(response.body());
      } catch (IOException e) {
        parsed = JSON.getNodeFactory().textNode(response.body());
      }
      return Optional.of(new Answer(response.statusCode(), parsed));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  public record Answer(int status, JsonNode body) {}

  /** The default wallet once its DKG has finished, waiting up to {@code timeout}. */
  public Optional<JsonNode> awaitDefaultWallet(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    do {
      Optional<JsonNode> ready =
          defaultWallet().filter(w -> "ready".equals(w.path("status").asText()));
      if (ready.isPresent()) {
        return ready;
      }
      Processes.sleep(500);
    } while (Instant.now().isBefore(deadline));
    return Optional.empty();
  }

  public Optional<JsonNode> defaultWallet() {
    return get("/api/v1/wallets")
        .flatMap(
            list -> {
              JsonNode items = list.path("wallets");
              for (JsonNode w : items) {
                if (w.path("is_default").asBoolean(false)
                    || "default".equals(w.path("name").asText())) {
                  return Optional.of(w);
                }
              }
              return Optional.empty();
            });
  }
}
