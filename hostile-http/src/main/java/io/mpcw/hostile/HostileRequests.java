package io.mpcw.hostile;

import static io.mpcw.hostile.HttpBytes.chunk;
import static io.mpcw.hostile.HttpBytes.object;
import static io.mpcw.hostile.HttpBytes.pick;
import static io.mpcw.hostile.HttpBytes.request;
import static io.mpcw.hostile.HttpBytes.utf8;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Generates hostile HTTP requests for one surface, every one of them invalid by construction (so
 * none may be answered with a 2xx): wrong JSON types, strings where numbers belong, NUL and lone
 * surrogates, arrays and scalars as bodies, trailing garbage, oversized bodies, wrong media types,
 * odd paths and encodings, broken request lines, headers and chunking. The same seed gives the same
 * requests.
 *
 * @param name the surface, for reports
 * @param authorization the {@code Authorization} header value sent with most requests, if any
 * @param jsonPosts paths that take a JSON body, each with a valid body to mutate
 * @param getPaths paths to mangle and read
 * @param queryPaths paths that refuse bad query parameters
 */
public record HostileRequests(
    String name,
    Optional<String> authorization,
    List<JsonPost> jsonPosts,
    List<String> getPaths,
    List<String> queryPaths) {

  /**
   * A JSON endpoint and a body it would accept.
   *
   * @param textField a field that must be a string
   * @param numberField a field that must be a number, or empty
   */
  public record JsonPost(
      String path,
      Map<String, String> validFields,
      String textField,
      Optional<String> numberField) {}

  private static final List<String> CONTENT_TYPES =
      List.of(
          "multipart/form-data",
          "multipart/form-data; boundary=",
          "multipart/form-data; boundary=\"unterminated",
          "multipart/form-data; boundary=xyz",
          "application/x-www-form-urlencoded",
          "text/plain",
          "application/xml",
          "application/octet-stream",
          "application/json; charset=bogus-charset",
          "*/*",
          "application/");

  private static final List<String> ODD_SEGMENTS =
      List.of(
          "",
          "%2F",
          "%2f..%2f",
          "not-a-uuid",
          "%00",
          "..;",
          ";x=1",
          "%ZZ",
          "%C3%28",
          "%252F",
          "\\",
          "%5C",
          "12345678-1234-1234-1234-1234567890123",
          "%E2%80%AE",
          "a".repeat(3000),
          "{id}",
          "*");

  /** The next hostile request. */
  public HostileRequest next(Random random) {
    return switch (random.nextInt(9)) {
      case 0, 1, 2 ->
          jsonPosts.isEmpty()
              ? path(random)
              : new JsonBodyMutations(authorization).next(random, pick(random, jsonPosts));
      case 3 -> jsonPosts.isEmpty() ? path(random) : contentType(random);
      case 4, 5 -> path(random);
      case 6 -> MalformedHttp.next(random, pick(random, allPaths()), authorization);
      case 7 ->
          jsonPosts.isEmpty()
              ? MalformedHttp.next(random, pick(random, allPaths()), authorization)
              : size(random);
      default -> method(random);
    };
  }

  private HostileRequest contentType(Random random) {
    JsonPost post = pick(random, jsonPosts);
    String type = pick(random, CONTENT_TYPES);
    byte[] body =
        type.startsWith("multipart") && random.nextBoolean()
            ? utf8("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n")
            : type.contains("urlencoded")
                ? utf8(post.textField() + "=x&" + post.numberField().orElse("n") + "=1000")
                : utf8(object(post.validFields()));
    Map<String, String> headers = baseHeaders(random);
    if (random.nextInt(6) > 0) {
      headers.put("Content-Type", type);
    }
    return request("POST", post.path(), headers, body, "media type " + type);
  }

  private HostileRequest path(Random random) {
    List<String> paths = allPaths();
    String base = pick(random, paths);
    String segment = pick(random, ODD_SEGMENTS);
    String path =
        switch (random.nextInt(5)) {
          case 0 -> base + "/" + segment;
          case 1 -> base + "/" + segment + "/cancel";
          case 2 ->
              base.contains("/v1/")
                  ? base.replaceFirst("/v1/", "/v1/" + segment + "/")
                  : base + "/" + segment + "/x";
          case 3 ->
              queryPaths.isEmpty() ? base + "/%" : pick(random, queryPaths) + "?" + query(random);
          default -> base + "//" + segment;
        };
    String method = random.nextInt(4) == 0 ? "POST" : "GET";
    Map<String, String> headers = baseHeaders(random);
    byte[] body = null;
    if (method.equals("POST")) {
      headers.put("Content-Type", "application/json");
      body = utf8("{}");
    }
    HostileRequest request = request(method, path, headers, body, "path");
    // an empty segment is a trailing or doubled slash, which servers may normalise away
    return segment.isEmpty() ? new HostileRequest("path", request.bytes(), false) : request;
  }

  private static String query(Random random) {
    return pick(
        random,
        List.of(
            "limit=abc",
            "limit=0",
            "limit=201",
            "limit=-1",
            "limit=1e2",
            "limit=99999999999999999999",
            "limit=%00",
            "state=bogus",
            "state=%00",
            "state=",
            "cursor=%00",
            "cursor=not-base64!",
            "cursor=" + UUID.randomUUID(),
            "cursor=MTp4",
            "cursor=" + "A".repeat(2000),
            "limit=%",
            "state=CONFIRMED%0d%0aX:1"));
  }

  private HostileRequest size(Random random) {
    JsonPost post = pick(random, jsonPosts);
    Map<String, String> fields = new LinkedHashMap<>(post.validFields());
    String label;
    if (random.nextBoolean()) {
      label = "body above 64 KiB";
      fields.put(post.textField(), "\"" + "x".repeat(70_000 + random.nextInt(200_000)) + "\"");
    } else {
      label = "metadata above 4 KiB";
      fields.put("metadata", "{\"blob\":\"" + "m".repeat(5_000 + random.nextInt(40_000)) + "\"}");
    }
    byte[] body = utf8(object(fields));
    Map<String, String> headers = baseHeaders(random);
    headers.put("Content-Type", "application/json");
    if (random.nextBoolean()) {
      headers.put("Transfer-Encoding", "chunked");
      return request("POST", post.path(), headers, chunk(body), label + " (chunked)");
    }
    return request("POST", post.path(), headers, body, label);
  }

  private HostileRequest method(Random random) {
    String method = pick(random, List.of("PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "BREW"));
    String path = pick(random, allPaths());
    Map<String, String> headers = baseHeaders(random);
    headers.put("Content-Type", "application/json");
    HostileRequest request = request(method, path, headers, utf8("{}"), "method " + method);
    // OPTIONS may legitimately answer 200 with the allowed methods
    return method.equals("OPTIONS")
        ? new HostileRequest(request.label(), request.bytes(), false)
        : request;
  }

  private List<String> allPaths() {
    List<String> paths = new java.util.ArrayList<>(getPaths);
    jsonPosts.forEach(p -> paths.add(p.path()));
    return paths;
  }

  private Map<String, String> baseHeaders(Random random) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "127.0.0.1");
    if (authorization.isPresent() && random.nextInt(10) > 0) {
      headers.put("Authorization", authorization.get());
    }
    return headers;
  }

  /** A convenience for callers building {@link JsonPost#validFields()}. */
  public static Map<String, String> fields(String... keyValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      fields.put(keyValues[i], keyValues[i + 1]);
    }
    return fields;
  }
}
