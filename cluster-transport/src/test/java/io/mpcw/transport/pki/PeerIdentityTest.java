package io.mpcw.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.transport.pki.PeerIdentity.RefusalReason;
import io.mpcw.transport.pki.PeerIdentity.UntrustedPeerException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class PeerIdentityTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final CertificateIssuer issuer = new CertificateIssuer();
  private final IdentityCredentials ca =
      issuer.createCa(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));

  @Test
  void acceptsLeafOfClusterCaWithinValidity() throws Exception {
    IdentityCredentials node = leaf(ca, NOW.minusSeconds(60), NOW.plusSeconds(60));

    assertThat(PeerIdentity.fromCertificate(node.certificate(), ca.certificate(), NOW).name())
        .isEqualTo("node-1");
  }

  @Test
  void refusesLeafOfAnotherCa() {
    IdentityCredentials otherCa = issuer.createCa(NOW.minusSeconds(60), NOW.plusSeconds(3600));
    IdentityCredentials node = leaf(otherCa, NOW.minusSeconds(60), NOW.plusSeconds(60));

    assertRefused(node, RefusalReason.UNTRUSTED_ISSUER, NOW);
  }

  @Test
  void refusesExpiredAndNotYetValidLeaves() {
    IdentityCredentials node = leaf(ca, NOW.minusSeconds(60), NOW.plusSeconds(60));

    assertRefused(node, RefusalReason.EXPIRED, NOW.plusSeconds(61));
    assertRefused(node, RefusalReason.NOT_YET_VALID, NOW.minusSeconds(61));
  }

  @Test
  void aCertificateAcceptedOnceIsStillRefusedOutsideItsDates() throws Exception {
    IdentityCredentials node = leaf(ca, NOW.minusSeconds(60), NOW.plusSeconds(60));
    assertThat(PeerIdentity.fromCertificate(node.certificate(), ca.certificate(), NOW).name())
        .isEqualTo("node-1");

    assertRefused(node, RefusalReason.EXPIRED, NOW.plusSeconds(61));
    assertRefused(node, RefusalReason.NOT_YET_VALID, NOW.minusSeconds(61));
    assertThat(PeerIdentity.fromCertificate(node.certificate(), ca.certificate(), NOW).name())
        .isEqualTo("node-1");
  }

  @Test
  void aCertificateAcceptedUnderOneCaIsRefusedUnderAnother() throws Exception {
    IdentityCredentials node = leaf(ca, NOW.minusSeconds(60), NOW.plusSeconds(60));
    IdentityCredentials otherCa = issuer.createCa(NOW.minusSeconds(60), NOW.plusSeconds(3600));
    assertThat(PeerIdentity.fromCertificate(node.certificate(), ca.certificate(), NOW).name())
        .isEqualTo("node-1");

    assertThatThrownBy(
            () -> PeerIdentity.fromCertificate(node.certificate(), otherCa.certificate(), NOW))
        .isInstanceOfSatisfying(
            UntrustedPeerException.class,
            e -> assertThat(e.reason()).isEqualTo(RefusalReason.UNTRUSTED_ISSUER));
  }

  @Test
  void refusesTheCaCertificateItselfAsAnIdentity() {
    assertRefused(ca, RefusalReason.INVALID, NOW);
  }

  @Test
  void namesOnlyASubjectWithExactlyOneCommonName() throws Exception {
    assertThat(PeerIdentity.commonName(selfSigned("CN=node-2,O=mpcw"))).contains("node-2");
    assertThat(PeerIdentity.commonName(selfSigned("O=mpcw"))).isEmpty();
    assertThat(PeerIdentity.commonName(selfSigned("CN=node-1,CN=node-2"))).isEmpty();
  }

  @Test
  void refusesALeafWithoutACommonName() throws Exception {
    X509Certificate unnamed = selfSigned("O=mpcw");

    assertThatThrownBy(() -> PeerIdentity.fromCertificate(unnamed, unnamed, NOW))
        .isInstanceOfSatisfying(
            UntrustedPeerException.class,
            e -> assertThat(e.reason()).isEqualTo(RefusalReason.INVALID));
  }

  /** A leaf certificate (not a CA) with exactly {@code subject}, signed by its own key. */
  private static X509Certificate selfSigned(String subject) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name(subject);
    var builder =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.ONE,
                Date.from(NOW.minus(Duration.ofHours(1))),
                Date.from(NOW.plus(Duration.ofHours(1))),
                name,
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private IdentityCredentials leaf(IdentityCredentials issuerCa, Instant from, Instant to) {
    return issuer.issue(issuerCa, "node-1", List.of(), from, to);
  }

  private void assertRefused(IdentityCredentials subject, RefusalReason reason, Instant at) {
    assertThatThrownBy(
            () -> PeerIdentity.fromCertificate(subject.certificate(), ca.certificate(), at))
        .isInstanceOfSatisfying(
            UntrustedPeerException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
