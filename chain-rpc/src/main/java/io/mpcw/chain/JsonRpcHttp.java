package io.mpcw.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JSON-RPC 1.0 call over HTTP POST, the way bitcoind speaks it. bitcoind answers RPC errors
 * with HTTP 500 (404 for an unknown method, 400 for an invalid request) and the error envelope in
 * the body, so the body is read whatever the status.
 */
final class JsonRpcHttp {
  /** Amounts are decimals: parse them as BigDecimal and write them without an exponent. */
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private final ChainClientConfig config;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();

  JsonRpcHttp(ChainClientConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * Calls {@code method} at {@code path} (empty for the node, {@code /wallet/<name>} for a wallet).
   *
   * @return the {@code result} member, a JSON null node when the result is null
   * @throws JsonRpcException when the answer carries an error object
   * @throws ChainUnavailableException when the node cannot be reached or answers no JSON-RPC
   */
  JsonNode call(String path, String method, Object... params) {
    long id = ids.incrementAndGet();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint(path))
            .timeout(config.requestTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope(id, method, params)));
    if (!config.user().isEmpty()) {
      request.header("Authorization", basicAuthorization());
    }
    HttpResponse<String> response = send(method, request.build());
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new ChainUnavailableException(
          "chain RPC refused the credentials of user '"
              + config.user()
              + "' (HTTP "
              + status
              + ")");
    }
    JsonNode body = parse(method, status, response.body());
    JsonNode error = body.path("error");
    if (!error.isMissingNode() && !error.isNull()) {
      throw new JsonRpcException(error.path("code").asInt(), error.path("message").asText());
    }
    if (status != 200 || !body.has("result")) {
      throw new ChainUnavailableException(
          "chain RPC " + method + " answered HTTP " + status + " without a result");
    }
    return body.get("result");
  }

  private HttpResponse<String> send(String method, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ChainUnavailableException(
          "chain RPC " + method + " at " + config.url() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainUnavailableException("interrupted while calling chain RPC " + method, e);
    }
  }

  private static JsonNode parse(String method, int status, String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new ChainUnavailableException(
            "chain RPC " + method + " answered HTTP " + status + " with no JSON-RPC object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ChainUnavailableException(
          "chain RPC " + method + " answered HTTP " + status + " with unreadable JSON", e);
    }
  }

  private URI endpoint(String path) {
    String base = config.url().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + (path.isEmpty() ? "/" : path));
  }

  private String basicAuthorization() {
    String token = config.user() + ":" + config.password();
    return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] envelope(long id, String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "1.0");
    request.put("id", id);
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      // DecimalNode as is: the node factory would strip the trailing zeros of 8-place amounts.
      array.add(
          param instanceof BigDecimal amount
              ? DecimalNode.valueOf(amount)
              : JSON.valueToTree(param));
    }
    try {
      return JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode JSON-RPC request " + method, e);
    }
  }
}
