package io.mpcw.transport.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    Proven proven = PROVEN.get(cert);
    if (proven != null && proven.ca().equals(ca)) {
      checkDates(cert, at);
      return new PeerIdentity(proven.name(), Optional.of(cert));
    }
    if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new UntrustedPeerException(
          RefusalReason.UNTRUSTED_ISSUER, "issuer is not the cluster CA");
    }
    if (!signedBy(cert, ca)) {
      throw new UntrustedPeerException(
          RefusalReason.UNTRUSTED_ISSUER, "not signed by the cluster CA");
    }
    checkDates(cert, at);
    if (cert.getBasicConstraints() >= 0) {
      throw new UntrustedPeerException(
          RefusalReason.INVALID, "a CA certificate is not an identity");
    }
    String cn =
        commonName(cert)
            .orElseThrow(() -> new UntrustedPeerException(RefusalReason.INVALID, "no subject CN"));
    if (PROVEN.size() >= PROVEN_CAPACITY) {
      PROVEN.clear();
    }
    PROVEN.put(cert, new Proven(ca, cn));
    return new PeerIdentity(cn, Optional.of(cert));
  }

  /**
   * Certificates already found issued by a CA, with the name they prove. Every signer checks the
   * certificates of t voters per payment, and every exchange names its peer: the issuer's
   * signature, the constraints and the name are properties of the certificate's bytes (a map key
   * compares them), so they are checked once per certificate and CA; the validity dates on every
   * use. Bounded, emptied when full: a cluster has few certificates.
   */
  private static final Map<X509Certificate, Proven> PROVEN = new ConcurrentHashMap<>();

  private static final int PROVEN_CAPACITY = 4096;

  private record Proven(X509Certificate ca, String name) {}

  private static void checkDates(X509Certificate cert, Instant at) throws UntrustedPeerException {
    try {
      cert.checkValidity(Date.from(at));
    } catch (CertificateExpiredException e) {
      throw new UntrustedPeerException(
          RefusalReason.EXPIRED, "expired at " + cert.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new UntrustedPeerException(
          RefusalReason.NOT_YET_VALID, "valid only from " + cert.getNotBefore().toInstant());
    }
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
