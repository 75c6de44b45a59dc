package io.mpcw.transport.quic;

import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.IdentityCredentials;
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
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made at test time, in memory: nothing is written, nothing committed. */
final class TestPki {

  private final CertificateIssuer issuer = new CertificateIssuer();
  private final Instant now = Instant.now();
  final IdentityCredentials ca =
      issuer.createCa(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));

  IdentityCredentials identity(String name) {
    return issuer.issue(
        ca, name, List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  IdentityCredentials expired(String name) {
    return issuer.issue(
        ca, name, List.of(), now.minus(Duration.ofDays(1)), now.minus(Duration.ofHours(1)));
  }

  /** A leaf that signs itself: no CA vouches for it, but it is otherwise a usable identity. */
  IdentityCredentials selfSigned(String name) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + name);
      var builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  BigInteger.valueOf(now.toEpochMilli()),
                  Date.from(now.minus(Duration.ofHours(1))),
                  Date.from(now.plus(Duration.ofDays(1))),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new IdentityCredentials(name, cert, keys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Same name, but issued by a CA the cluster does not know. */
  IdentityCredentials fromAnotherCa(String name) {
    CertificateIssuer other = new CertificateIssuer();
    IdentityCredentials otherCa =
        other.createCa(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    return other.issue(
        otherCa, name, List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }
}
