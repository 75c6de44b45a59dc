package io.mpcw.chain.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Plain HTTP to the simulator, for what the ChainClient does not cover (and for bad requests). */
final class RawRpc {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;
  private final Optional<String> authorization;

  RawRpc(String url, String user, String password) {
    this.url = url;
    this.authorization =
        Optional.of(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  RawRpc(String url) {
    this.url = url;
    this.authorization = Optional.empty();
  }

  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    JsonNode result() {
      return json().path("result");
    }

    int errorCode() {
      return json().path("error").path("code").asInt();
    }
  }

  /** Calls {@code method} with {@code params} given as a JSON array text. */
  Answer call(String method, String paramsJson) {
    return post(
        "/",
        "{\"jsonrpc\":\"1.0\",\"id\":\"t\",\"method\":\""
            + method
            + "\",\"params\":"
            + paramsJson
            + "}");
  }

  Answer post(String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    authorization.ifPresent(a -> request.header("Authorization", a));
    return send(request.build());
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).GET().build());
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
