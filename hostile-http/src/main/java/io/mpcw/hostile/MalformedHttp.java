package io.mpcw.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;

/**
 * Requests that break HTTP/1.1 itself, written byte by byte: a garbage or empty request line, an
 * unknown version, control characters, a header without a colon, bad or conflicting lengths and
 * chunking, no or two {@code Host} headers, an oversized header, an unknown transfer coding.
 */
final class MalformedHttp {
  private MalformedHttp() {}

  /** A raw request to {@code path} that breaks HTTP/1.1 itself. */
  static HostileRequest next(Random random, String path, Optional<String> authorization) {
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
}
