package io.mpcw.transport.pki;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Server side of {@code mpcw-sig-v1} (see {@link SignedRequests}): the caller is the CN of a
 * certificate the cluster CA issued, valid now, whose key signed this method, path, timestamp and
 * body. An identical request may be replayed inside the skew window; callers use it only for
 * idempotent writes.
 */
public final class SignedRequestVerifier {
  private final X509Certificate ca;
  private final Clock clock;
  private final Duration maxSkew;

  /**
   * @param maxSkew how far the timestamp may be from {@code clock} either way
   */
  public SignedRequestVerifier(X509Certificate ca, Clock clock, Duration maxSkew) {
    this.ca = ca;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  /** Why a signed request was refused. */
  public enum Refusal {
    MISSING_HEADER("a signature header is missing"),
    BAD_ENCODING("a signature header is not well formed"),
    UNTRUSTED_CERTIFICATE("the certificate was not issued by the cluster CA"),
    EXPIRED("the certificate is expired or not yet valid"),
    CLOCK_SKEW("the timestamp is too far from the server clock"),
    BAD_SIGNATURE("the signature does not match the request");

    private final String description;

    Refusal(String description) {
      this.description = description;
    }

    /** Safe to show the caller: names the reason, never a header value. */
    public String description() {
      return description;
    }
  }

  /** Exactly one of the verified caller or the reason it was refused. */
  public record Result(Optional<PeerIdentity> caller, Optional<Refusal> refusal) {
    static Result refused(Refusal reason) {
      return new Result(Optional.empty(), Optional.of(reason));
    }

    static Result verified(PeerIdentity caller) {
      return new Result(Optional.of(caller), Optional.empty());
    }
  }

  /** Checks the signature headers (read through {@code header}, which answers null when absent). */
  public Result verify(
      String method, String pathWithQuery, byte[] body, Function<String, String> header) {
    Optional<String> certHeader = Optional.ofNullable(header.apply(SignedRequests.CERTIFICATE));
    Optional<String> timestamp = Optional.ofNullable(header.apply(SignedRequests.TIMESTAMP));
    Optional<String> signatureHeader = Optional.ofNullable(header.apply(SignedRequests.SIGNATURE));
    if (certHeader.isEmpty() || timestamp.isEmpty() || signatureHeader.isEmpty()) {
      return Result.refused(Refusal.MISSING_HEADER);
    }
    X509Certificate cert;
    byte[] signature;
    long millis;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(Base64.getDecoder().decode(certHeader.get())));
      signature = Base64.getDecoder().decode(signatureHeader.get());
      millis = Long.parseLong(timestamp.get());
    } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
      return Result.refused(Refusal.BAD_ENCODING);
    }
    Instant now = clock.instant();
    PeerIdentity caller;
    try {
      caller = PeerIdentity.fromCertificate(cert, ca, now);
    } catch (CertificateException e) {
      return Result.refused(validNow(cert, now) ? Refusal.UNTRUSTED_CERTIFICATE : Refusal.EXPIRED);
    }
    if (Duration.between(Instant.ofEpochMilli(millis), now).abs().compareTo(maxSkew) > 0) {
      return Result.refused(Refusal.CLOCK_SKEW);
    }
    byte[] signed = SignedRequests.canonical(method, pathWithQuery, timestamp.get(), body);
    if (!IdentityKeys.verify(cert, signed, signature)) {
      return Result.refused(Refusal.BAD_SIGNATURE);
    }
    return Result.verified(caller);
  }

  private static boolean validNow(X509Certificate cert, Instant now) {
    return !now.isBefore(cert.getNotBefore().toInstant())
        && !now.isAfter(cert.getNotAfter().toInstant());
  }
}
