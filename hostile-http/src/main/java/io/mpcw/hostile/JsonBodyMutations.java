package io.mpcw.hostile;

import static io.mpcw.hostile.HttpBytes.object;
import static io.mpcw.hostile.HttpBytes.pick;
import static io.mpcw.hostile.HttpBytes.request;
import static io.mpcw.hostile.HttpBytes.unquote;
import static io.mpcw.hostile.HttpBytes.utf8;

import io.mpcw.hostile.HostileRequests.JsonPost;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * JSON bodies broken on purpose, from a valid one: wrong types, strings where numbers belong, NUL,
 * lone surrogates and control characters, unknown and duplicate fields, arrays and scalars as the
 * body, trailing garbage, truncation, invalid UTF-8, deep nesting, comments and random bytes.
 */
final class JsonBodyMutations {
  private final Optional<String> authorization;

  JsonBodyMutations(Optional<String> authorization) {
    this.authorization = authorization;
  }

  /** A request to {@code post}'s path whose body is broken one way or another. */
  HostileRequest next(Random random, JsonPost post) {
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

  private HostileRequest post(String path, String type, byte[] body, String label) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "127.0.0.1");
    authorization.ifPresent(a -> headers.put("Authorization", a));
    headers.put("Content-Type", type);
    return request("POST", path, headers, body, label);
  }
}
