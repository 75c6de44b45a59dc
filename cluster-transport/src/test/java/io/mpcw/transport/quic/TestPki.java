package io.mpcw.transport.quic;

import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.IdentityCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

  /** Same name, but issued by a CA the cluster does not know. */
  IdentityCredentials fromAnotherCa(String name) {
    CertificateIssuer other = new CertificateIssuer();
    IdentityCredentials otherCa =
        other.createCa(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    return other.issue(
        otherCa, name, List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }
}
