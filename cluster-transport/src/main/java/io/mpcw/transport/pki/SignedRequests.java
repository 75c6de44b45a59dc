package io.mpcw.transport.pki;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * HTTP requests signed by a cluster identity ({@code mpcw-sig-v1}), for calls that do not travel
 * over mTLS (the registry's REST API). Headers: the caller's certificate (base64 DER), a unix-ms
 * timestamp, and an ECDSA signature over {@code "mpcw-sig-v1\n" METHOD "\n" path?query "\n"
 * timestamp "\n" hex(SHA-256(body))}. The server trusts the certificate only if the cluster CA
 * issued it, and the caller's identity is its CN.
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

  /** Why a signed request was refused. */
  public enum Refusal {
    MISSING_HEADERS,
    BAD_ENCODING,
    UNTRUSTED_CERTIFICATE,
    CLOCK_SKEW,
    BAD_SIGNATURE
  }

  /** The caller's identity, or why it could not be established. */
  public record Verification(Optional<PeerIdentity> caller, Optional<Refusal> refusal) {
    static Verification refused(Refusal reason) {
      return new Verification(Optional.empty(), Optional.of(reason));
    }
  }

  /**
   * Checks a request's signature headers (read through {@code header}) against the cluster CA.
   *
   * @param maxSkew how far the timestamp may be from {@code now} either way
   */
  public static Verification verify(
      X509Certificate ca,
      String method,
      String pathWithQuery,
      byte[] body,
      Function<String, String> header,
      Instant now,
      Duration maxSkew) {
    String certHeader = header.apply(CERTIFICATE);
    String timestamp = header.apply(TIMESTAMP);
    String signatureHeader = header.apply(SIGNATURE);
    if (certHeader == null || timestamp == null || signatureHeader == null) {
      return Verification.refused(Refusal.MISSING_HEADERS);
    }
    X509Certificate cert;
    byte[] signature;
    long millis;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(Base64.getDecoder().decode(certHeader)));
      signature = Base64.getDecoder().decode(signatureHeader);
      millis = Long.parseLong(timestamp);
    } catch (CertificateException | IllegalArgumentException e) {
      return Verification.refused(Refusal.BAD_ENCODING);
    }
    PeerIdentity caller;
    try {
      caller = PeerIdentity.fromCertificate(cert, ca, now);
    } catch (CertificateException e) {
      return Verification.refused(Refusal.UNTRUSTED_CERTIFICATE);
    }
    if (Duration.between(Instant.ofEpochMilli(millis), now).abs().compareTo(maxSkew) > 0) {
      return Verification.refused(Refusal.CLOCK_SKEW);
    }
    if (!IdentityKeys.verify(cert, canonical(method, pathWithQuery, timestamp, body), signature)) {
      return Verification.refused(Refusal.BAD_SIGNATURE);
    }
    return new Verification(Optional.of(caller), Optional.empty());
  }

  private static byte[] canonical(
      String method, String pathWithQuery, String timestamp, byte[] body) {
    String text =
        SCHEME + "\n" + method + "\n" + pathWithQuery + "\n" + timestamp + "\n" + sha256Hex(body);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}
