package io.mpcw.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.transport.pki.PeerIdentity.RefusalReason;
import io.mpcw.transport.pki.PeerIdentity.UntrustedPeerException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
  void refusesTheCaCertificateItselfAsAnIdentity() {
    assertRefused(ca, RefusalReason.INVALID, NOW);
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
