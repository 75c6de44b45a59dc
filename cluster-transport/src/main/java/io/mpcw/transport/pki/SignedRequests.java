package io.mpcw.transport.pki;

import io.mpcw.crypto.hash.Sha256;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * HTTP requests signed by a cluster identity ({@code mpcw-sig-v1}), for calls that do not travel
 * over mTLS (the registry's REST API). Headers: the caller's certificate (base64 DER), a unix-ms
 * timestamp, and an ECDSA signature over {@code "mpcw-sig-v1\n" METHOD "\n" path?query "\n"
 * timestamp "\n" hex(SHA-256(body))}. {@link SignedRequestVerifier} is the server side.
 */
public final class SignedRequests {
  public static final String CERTIFICATE = "X-Mpcw-Certificate";
  public static final String TIMESTAMP = "X-Mpcw-Timestamp";
  public static final String SIGNATURE = "X-Mpcw-Signature";
  private static final String SCHEME = "mpcw-sig-v1";

  private SignedRequests() {}

  /** The three headers that sign {@code method path body} as {@code identity} at {@code now}. */
  public static Map<String, String> headers(
      IdentityCredentials identity, String method, String pathWithQuery, byte[] body, Instant now) {
    String timestamp = Long.toString(now.toEpochMilli());
    byte[] signature =
        IdentityKeys.sign(identity, canonical(method, pathWithQuery, timestamp, body));
    try {
      return Map.of(
          CERTIFICATE, Base64.getEncoder().encodeToString(identity.certificate().getEncoded()),
          TIMESTAMP, timestamp,
          SIGNATURE, Base64.getEncoder().encodeToString(signature));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("own certificate cannot be encoded", e);
    }
  }

  /**
   * The same for a request to {@code uri}: the signed target is its raw path and query, exactly as
   * the server sees them.
   */
  public static Map<String, String> headers(
      IdentityCredentials identity, String method, URI uri, byte[] body, Instant now) {
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return headers(identity, method, target, body, now);
  }

  static byte[] canonical(String method, String pathWithQuery, String timestamp, byte[] body) {
    String text =
        SCHEME + "\n" + method + "\n" + pathWithQuery + "\n" + timestamp + "\n" + sha256Hex(body);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256Hex(byte[] body) {
    return HexFormat.of().formatHex(Sha256.of(body));
  }
}
