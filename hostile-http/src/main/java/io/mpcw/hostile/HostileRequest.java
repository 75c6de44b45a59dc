package io.mpcw.hostile;

import java.nio.charset.StandardCharsets;

/**
 * One generated request, as the bytes that go on the wire.
 *
 * @param label what was done to it, for the report
 * @param bytes the whole request: request line, headers and body
 * @param mustBeRefused true when the request is invalid by construction, so a 2xx is a finding
 */
public record HostileRequest(String label, byte[] bytes, boolean mustBeRefused) {

  /** The request line, printable, for a report. */
  public String requestLine() {
    String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
    int end = text.indexOf('\r');
    String line = end >= 0 ? text.substring(0, end) : text;
    StringBuilder printable = new StringBuilder();
    line.chars()
        .forEach(
            c -> {
              if (c < 0x20 || c > 0x7e) {
                printable.append(String.format("\\x%02x", c));
              } else {
                printable.append((char) c);
              }
            });
    return printable.length() > 120 ? printable.substring(0, 120) + "…" : printable.toString();
  }
}
