package io.mpcw.chain.simulator.rpc;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Netty's decoder lets through but HTTP/1.1 forbids (RFC 9112): another version than 1.0 or
 * 1.1, an HTTP/1.1 request without exactly one Host, a header name that is not a token, both
 * Content-Length and Transfer-Encoding (a request smuggling shape), control characters in a header
 * value.
 */
final class HttpChecks {
  private HttpChecks() {}

  static Optional<String> malformed(FullHttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
      return Optional.of("Only HTTP/1.0 and HTTP/1.1 are served.");
    }
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (version.equals(HttpVersion.HTTP_1_1) && hosts.size() != 1) {
      return Optional.of("An HTTP/1.1 request needs exactly one Host header.");
    }
    if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return Optional.of("Content-Length and Transfer-Encoding must not be sent together.");
    }
    for (Map.Entry<String, String> header : request.headers()) {
      if (!header.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        return Optional.of("A header name is not a token.");
      }
      if (header.getValue().chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        return Optional.of("A header value contains control characters.");
      }
    }
    return Optional.empty();
  }
}
