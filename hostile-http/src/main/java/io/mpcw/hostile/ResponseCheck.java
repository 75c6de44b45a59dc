package io.mpcw.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What counts as a finding: a 5xx, an error that is not RFC 9457 problem JSON (or, on the chain's
 * JSON-RPC, not a JSON-RPC error either), internals in an error body, or a request that is invalid
 * by construction answered with a 2xx. A closed connection without an answer is not a finding: a
 * server may drop garbage.
 */
public final class ResponseCheck {
  /** How a surface answers errors. */
  public enum Dialect {
    /** every error is application/problem+json */
    PROBLEM,
    /** bitcoind's JSON-RPC: errors are {result: null, error: {code, message}}, or problem JSON */
    JSON_RPC
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTERNALS =
      Pattern.compile(
          "Exception|\\bat [a-z]+\\.[a-z]+\\.|\\bjava\\.|\\bjakarta\\.|\\borg\\.springframework|"
              + "\\bcom\\.fasterxml|<html|<HTML|Apache Tomcat");

  private ResponseCheck() {}

  /** The finding for this exchange, or empty when the answer is acceptable. */
  public static Optional<String> finding(
      HostileRequest request, Optional<RawHttp.Response> answer, Dialect dialect) {
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    RawHttp.Response response = answer.get();
    int status = response.status();
    if (INTERNALS.matcher(response.body()).find()) {
      return Optional.of("internals in the body (" + status + ")");
    }
    if (status >= 200 && status < 300) {
      if (request.mustBeRefused() && !refusedInside(response, dialect)) {
        return Optional.of("accepted (" + status + ")");
      }
      return Optional.empty();
    }
    if (status < 400) {
      return Optional.empty();
    }
    boolean problem = isProblem(response);
    if (dialect == Dialect.JSON_RPC && isJsonRpcError(response)) {
      return Optional.empty();
    }
    if (status >= 500) {
      return Optional.of(status + (problem ? "" : ", not problem JSON"));
    }
    return problem ? Optional.empty() : Optional.of(status + " not problem JSON");
  }

  /** A JSON-RPC batch answers 200 even when every call in it failed. */
  private static boolean refusedInside(RawHttp.Response response, Dialect dialect) {
    if (dialect != Dialect.JSON_RPC) {
      return false;
    }
    JsonNode body = parse(response.body());
    if (body == null) {
      return false;
    }
    if (body.isArray()) {
      for (JsonNode single : body) {
        if (single.path("error").isNull() || single.path("error").isMissingNode()) {
          return false;
        }
      }
      return true;
    }
    return body.path("error").isObject();
  }

  static boolean isProblem(RawHttp.Response response) {
    if (!response.contentType().startsWith("application/problem+json")) {
      return false;
    }
    JsonNode body = parse(response.body());
    return body != null
        && body.path("type").isTextual()
        && body.path("title").isTextual()
        && body.path("status").asInt() == response.status()
        && body.path("detail").isTextual();
  }

  private static boolean isJsonRpcError(RawHttp.Response response) {
    if (!response.contentType().startsWith("application/json")) {
      return false;
    }
    JsonNode body = parse(response.body());
    return body != null
        && body.path("error").path("code").isInt()
        && body.path("error").path("message").isTextual();
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
