package io.mpcw.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The bytes of a request as the generators write them, and the small helpers they share. */
final class HttpBytes {
  private HttpBytes() {}

  static HostileRequest request(
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

  static byte[] chunk(byte[] body) {
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

  static String object(Map<String, String> fields) {
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

  static String unquote(String value) {
    return value == null ? "" : value.replace("\"", "");
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T pick(Random random, List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
