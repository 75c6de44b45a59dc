package io.mpcw.transport.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who is on the other end: the CN of a certificate the cluster CA issued, or a name given
 * explicitly by an in-memory transport (then without certificate).
 */
public final class PeerIdentity {

  private final String name;
  private final Optional<X509Certificate> certificate;

  private PeerIdentity(String name, Optional<X509Certificate> certificate) {
    this.name = Objects.requireNonNull(name, "name");
    this.certificate = certificate;
  }

  /** An identity vouched for by something other than a certificate (tests, in-memory). */
  public static PeerIdentity of(String name) {
    return new PeerIdentity(name, Optional.empty());
  }

  /**
   * The identity {@code cert} proves, after checking it is signed by {@code ca}, is not a CA itself
   * and is valid at {@code at}.
   *
   * @throws UntrustedPeerException with the reason the certificate is refused
   */
  public static PeerIdentity fromCertificate(X509Certificate cert, X509Certificate ca, Instant at)
      throws UntrustedPeerException {
    if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new UntrustedPeerException(
          RefusalReason.UNTRUSTED_ISSUER, "issuer is not the cluster CA");
    }
    if (!signedBy(cert, ca)) {
      throw new UntrustedPeerException(
          RefusalReason.UNTRUSTED_ISSUER, "not signed by the cluster CA");
    }
    try {
      cert.checkValidity(Date.from(at));
    } catch (CertificateExpiredException e) {
      throw new UntrustedPeerException(
          RefusalReason.EXPIRED, "expired at " + cert.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new UntrustedPeerException(
          RefusalReason.NOT_YET_VALID, "valid only from " + cert.getNotBefore().toInstant());
    }
    if (cert.getBasicConstraints() >= 0) {
      throw new UntrustedPeerException(
          RefusalReason.INVALID, "a CA certificate is not an identity");
    }
    String cn =
        commonName(cert)
            .orElseThrow(() -> new UntrustedPeerException(RefusalReason.INVALID, "no subject CN"));
    return new PeerIdentity(cn, Optional.of(cert));
  }

  /**
   * Whether {@code ca}'s key signed {@code cert}. The same node certificates are checked on every
   * stage of every payment, so a certificate signature found valid is remembered ({@link
   * VerifiedSignatures}); validity dates and constraints are still checked on every call.
   */
  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      var entry =
          VerifiedSignatures.entry(
              VerifiedSignatures.Kind.CERTIFICATE_ISSUED_BY,
              ca.getPublicKey().getEncoded(),
              cert.getEncoded(),
              new byte[0]);
      VerifiedSignatures seen = VerifiedSignatures.shared();
      if (seen.known(entry)) {
        return true;
      }
      cert.verify(ca.getPublicKey());
      seen.remember(entry);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The subject CN of {@code cert}, if it has exactly one. */
  public static Optional<String> commonName(X509Certificate cert) {
    // the subject alone, as the JDK already holds it: parsing the whole certificate again for its
    // name cost about 1 % of a node under load (every vote's certificate is named on every check)
    RDN[] cns =
        X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
    if (cns.length != 1) {
      return Optional.empty();
    }
    return Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
  }

  public String name() {
    return name;
  }

  public Optional<X509Certificate> certificate() {
    return certificate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerIdentity other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }

  /** Why a certificate was refused; the lower-case name is the metric's {@code reason} tag. */
  public enum RefusalReason {
    UNTRUSTED_ISSUER,
    EXPIRED,
    NOT_YET_VALID,
    INVALID,
    IDENTITY_REJECTED;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A certificate the cluster does not accept as an identity. */
  public static final class UntrustedPeerException extends CertificateException {

    private final RefusalReason reason;

    public UntrustedPeerException(RefusalReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public RefusalReason reason() {
      return reason;
    }
  }
}
