package io.mpcw.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends bytes exactly as given to 127.0.0.1 and reads one HTTP/1.1 response. An HTTP client library
 * would refuse to send most hostile requests (bad request lines, broken encodings), so this writes
 * to a socket itself.
 */
public final class RawHttp {
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final int port;
  private final Duration timeout;

  public RawHttp(int port, Duration timeout) {
    this.port = port;
    this.timeout = timeout;
  }

  /** The response, or empty when the server closed the connection (or timed out) without one. */
  public Optional<Response> send(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // the server may answer and close before it has read all of a large body
      }
      try {
        return read(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        return Optional.empty();
      }
    }
  }

  private static Optional<Response> read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/")) {
      return Optional.empty();
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Math.min(MAX_RESPONSE_BYTES, parseLength(headers)));
    } else if (status == 204 || status == 304) {
      body = new byte[0];
    } else {
      body = in.readNBytes(MAX_RESPONSE_BYTES);
    }
    return Optional.of(new Response(status, headers, new String(body, StandardCharsets.UTF_8)));
  }

  private static int parseLength(Map<String, String> headers) {
    try {
      return Integer.parseInt(headers.get("content-length"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < MAX_RESPONSE_BYTES) {
      String size = line(in);
      if (size == null) {
        break;
      }
      int semicolon = size.indexOf(';');
      int length =
          Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
      if (length == 0) {
        break;
      }
      out.write(in.readNBytes(length));
      line(in);
    }
    return out.toByteArray();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        buffer.write(b);
      }
      if (buffer.size() > 16 * 1024) {
        break;
      }
    }
    if (b == -1 && buffer.size() == 0) {
      return null;
    }
    return buffer.toString(StandardCharsets.ISO_8859_1);
  }

  /** One HTTP response; header names in lower case. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }
}
