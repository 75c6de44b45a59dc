package io.mpcw.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
      case 0, 1, 2 -> jsonPosts.isEmpty() ? path(random) : body(random);
      case 3 -> jsonPosts.isEmpty() ? path(random) : contentType(random);
      case 4, 5 -> path(random);
      case 6 -> protocol(random);
      case 7 -> jsonPosts.isEmpty() ? protocol(random) : size(random);
      default -> method(random);
    };
  }

  private HostileRequest body(Random random) {
    JsonPost post = pick(random, jsonPosts);
    Map<String, String> fields = new LinkedHashMap<>(post.validFields());
    String label;
    String body;
    String text = post.textField();
    String number = post.numberField().orElse(text);
    switch (random.nextInt(22)) {
      case 0 -> {
        label = "number as a string";
        fields.put(number, "\"1000\"");
      }
      case 1 -> {
        label = "number with a fraction";
        fields.put(number, pick(random, List.of("1000.5", "1000.0", "1e4", "-0.0")));
      }
      case 2 -> {
        label = "number of the wrong type";
        fields.put(number, pick(random, List.of("true", "[]", "{}", "[1000]", "{\"v\":1}")));
      }
      case 3 -> {
        label = "number out of range";
        fields.put(
            number,
            pick(random, List.of("99999999999999999999999", "-1", "0", "-9223372036854775809")));
      }
      case 4 -> {
        label = "text of the wrong type";
        fields.put(text, pick(random, List.of("123", "true", "[]", "{}", "[\"a\"]", "1.5")));
      }
      case 5 -> {
        label = "NUL in text";
        fields.put(text, "\"" + unquote(fields.get(text)) + "\\u0000\"");
      }
      case 6 -> {
        label = "lone surrogate in text";
        fields.put(text, "\"\\ud800" + unquote(fields.get(text)) + "\"");
      }
      case 7 -> {
        label = "NUL in nested text";
        fields.put(
            "metadata", pick(random, List.of("{\"note\":\"a\\u0000b\"}", "{\"a\\u0000\":1}")));
      }
      case 8 -> {
        label = "unknown field";
        fields.put(pick(random, List.of("colour", "amountSats", "AMOUNT_SATS", "__proto__")), "1");
      }
      case 9 -> {
        label = "duplicate field";
        body = object(fields);
        body = body.substring(0, body.length() - 1) + ",\"" + text + "\":\"other\"}";
        return post(post.path(), "application/json", utf8(body), label);
      }
      case 10 -> {
        label = "array as the body";
        return post(post.path(), "application/json", utf8("[" + object(fields) + "]"), label);
      }
      case 11 -> {
        label = "scalar as the body";
        return post(
            post.path(),
            "application/json",
            utf8(pick(random, List.of("42", "\"text\"", "null", "true", "-1.5e300"))),
            label);
      }
      case 12 -> {
        label = "trailing garbage";
        return post(
            post.path(),
            "application/json",
            utf8(object(fields) + pick(random, List.of("x", "{}", "]", ",", "\u0000", " 1"))),
            label);
      }
      case 13 -> {
        label = "truncated JSON";
        String whole = object(fields);
        return post(
            post.path(),
            "application/json",
            utf8(whole.substring(0, 1 + random.nextInt(whole.length() - 1))),
            label);
      }
      case 14 -> {
        label = "invalid UTF-8";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String whole = object(fields);
        int cut = whole.indexOf(unquote(fields.get(text))) + 1;
        bytes.writeBytes(utf8(whole.substring(0, cut)));
        bytes.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        bytes.writeBytes(utf8(whole.substring(cut)));
        return post(post.path(), "application/json", bytes.toByteArray(), label);
      }
      case 15 -> {
        label = "empty body";
        return post(post.path(), "application/json", new byte[0], label);
      }
      case 16 -> {
        label = "null for a required field";
        fields.put(text, "null");
      }
      case 17 -> {
        label = "missing required field";
        fields.remove(text);
      }
      case 18 -> {
        label = "deep nesting";
        int depth = 600 + random.nextInt(3000);
        fields.put("metadata", "[".repeat(depth) + "]".repeat(depth));
        fields.put(text, "\"\"");
      }
      case 19 -> {
        label = "JSON comments or single quotes";
        return post(
            post.path(),
            "application/json",
            utf8(
                pick(
                    random,
                    List.of(
                        "{/*c*/" + object(fields).substring(1),
                        object(fields).replace('"', '\''),
                        "{" + text + ":1}"))),
            label);
      }
      case 20 -> {
        label = "random bytes";
        byte[] junk = new byte[1 + random.nextInt(200)];
        random.nextBytes(junk);
        return post(post.path(), "application/json", junk, label);
      }
      default -> {
        label = "control characters in text";
        fields.put(text, "\"\\u0001\\u001f" + unquote(fields.get(text)) + "\\u007f\"");
        fields.put(number, "\"x\"");
      }
    }
    return post(post.path(), "application/json", utf8(object(fields)), label);
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

  private HostileRequest protocol(Random random) {
    String path = pick(random, allPaths());
    String auth = authorization.map(a -> "Authorization: " + a + "\r\n").orElse("");
    String raw =
        switch (random.nextInt(16)) {
          case 0 -> "GARBAGE\r\n\r\n";
          case 1 -> "GET  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
          case 2 -> "GET " + path + " HTTP/3.0\r\nHost: 127.0.0.1\r\n" + auth + "\r\n";
          case 3 -> "GET " + path + "\u0001x HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n";
          case 4 -> "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n";
          case 5 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + auth
                  + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}";
          case 6 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + auth
                  + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}";
          case 7 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + auth
                  + "Content-Type: application/json\r\nContent-Length: 2\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
          case 8 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + auth
                  + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n";
          case 9 -> "GET " + path + " HTTP/1.1\r\n" + auth + "\r\n";
          case 10 ->
              "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil\r\n" + auth + "\r\n";
          case 11 ->
              "GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                  + "b".repeat(20_000)
                  + "\r\n"
                  + auth
                  + "\r\n";
          case 12 ->
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + auth
                  + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}";
          case 13 ->
              "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Ctl: a\u0000b\r\n" + auth + "\r\n";
          case 14 -> "GET /%%%% HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n";
          default -> "GET " + path + "#frag%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n";
        };
    return new HostileRequest("malformed HTTP", raw.getBytes(StandardCharsets.ISO_8859_1), true);
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

  private HostileRequest post(String path, String type, byte[] body, String label) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "127.0.0.1");
    authorization.ifPresent(a -> headers.put("Authorization", a));
    headers.put("Content-Type", type);
    return request("POST", path, headers, body, label);
  }

  private static HostileRequest request(
      String method, String path, Map<String, String> headers, byte[] body, String label) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (body != null && !headers.containsKey("Transfer-Encoding")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return new HostileRequest(label, out.toByteArray(), true);
  }

  private static byte[] chunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += 8192) {
      int length = Math.min(8192, body.length - at);
      out.writeBytes(utf8(Integer.toHexString(length) + "\r\n"));
      out.write(body, at, length);
      out.writeBytes(utf8("\r\n"));
    }
    out.writeBytes(utf8("0\r\n\r\n"));
    return out.toByteArray();
  }

  private static String object(Map<String, String> fields) {
    StringBuilder json = new StringBuilder("{");
    fields.forEach(
        (k, v) -> {
          if (json.length() > 1) {
            json.append(',');
          }
          json.append('"').append(k).append("\":").append(v);
        });
    return json.append('}').toString();
  }

  private static String unquote(String value) {
    return value == null ? "" : value.replace("\"", "");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T pick(Random random, List<T> options) {
    return options.get(random.nextInt(options.size()));
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
