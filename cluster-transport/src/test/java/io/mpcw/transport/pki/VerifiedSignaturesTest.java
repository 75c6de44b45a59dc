package io.mpcw.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {

  private static final Instant NOW = Instant.now();
  private final CertificateIssuer issuer = new CertificateIssuer();
  private final IdentityCredentials ca =
      issuer.createCa(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));
  private final IdentityCredentials node =
      issuer.issue(ca, "node-1", List.of(), NOW.minusSeconds(60), NOW.plusSeconds(600));
  private final byte[] vote = "vote tx-1 approve".getBytes(StandardCharsets.UTF_8);

  @Test
  void aValidSignatureIsVerifiedOnceThenAnsweredFromMemory() {
    VerifiedSignatures seen = new VerifiedSignatures(100);
    byte[] signature = IdentityKeys.sign(node, vote);

    assertThat(verify(seen, vote, signature)).isTrue();
    assertThat(verify(seen, vote, signature)).isTrue();

    assertThat(seen.misses()).isEqualTo(1);
    assertThat(seen.hits()).isEqualTo(1);
  }

  @Test
  void anInvalidSignatureIsNeverRememberedAndFailsEveryTime() {
    VerifiedSignatures seen = new VerifiedSignatures(100);
    byte[] signature = IdentityKeys.sign(node, vote);
    byte[] otherData = "vote tx-1 reject".getBytes(StandardCharsets.UTF_8);

    assertThat(verify(seen, otherData, signature)).isFalse();
    assertThat(verify(seen, otherData, signature)).isFalse();

    assertThat(seen.hits()).isZero();
    assertThat(seen.size()).isZero();
  }

  @Test
  void aRememberedSignatureDoesNotVouchForOtherDataOrAnotherKey() {
    VerifiedSignatures seen = new VerifiedSignatures(100);
    byte[] signature = IdentityKeys.sign(node, vote);
    IdentityCredentials other =
        issuer.issue(ca, "node-2", List.of(), NOW.minusSeconds(60), NOW.plusSeconds(600));
    assertThat(verify(seen, vote, signature)).isTrue();

    assertThat(
            IdentityKeys.verify(
                other.certificate().getPublicKey(), vote, signature, new VerifiedSignatures(100)))
        .isFalse();
    assertThat(IdentityKeys.verify(other.certificate().getPublicKey(), vote, signature, seen))
        .isFalse();
    byte[] longer = (new String(vote, StandardCharsets.UTF_8) + " ").getBytes();
    assertThat(verify(seen, longer, signature)).isFalse();
  }

  @Test
  void aCertificateCheckIsNeverTakenForADataSignature() throws Exception {
    PeerIdentity.fromCertificate(node.certificate(), ca.certificate(), NOW);

    // the certificate entry names (CA key, certificate, empty): the same bytes offered as a
    // signed message with an empty signature are not valid
    assertThat(
            IdentityKeys.verify(
                ca.certificate().getPublicKey(),
                node.certificate().getEncoded(),
                new byte[0],
                VerifiedSignatures.shared()))
        .isFalse();
  }

  @Test
  void aRememberedCertificateIsStillRefusedOnceExpired() throws Exception {
    assertThat(PeerIdentity.fromCertificate(node.certificate(), ca.certificate(), NOW).name())
        .isEqualTo("node-1");

    assertThatThrownBy(
            () ->
                PeerIdentity.fromCertificate(
                    node.certificate(), ca.certificate(), NOW.plusSeconds(601)))
        .isInstanceOf(PeerIdentity.UntrustedPeerException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void aFullSetEmptiesItselfAndKeepsAnswering() {
    VerifiedSignatures seen = new VerifiedSignatures(2);
    for (int i = 0; i < 5; i++) {
      byte[] data = ("vote " + i).getBytes(StandardCharsets.UTF_8);
      assertThat(verify(seen, data, IdentityKeys.sign(node, data))).isTrue();
    }

    assertThat(seen.size()).isLessThanOrEqualTo(2);
  }

  private boolean verify(VerifiedSignatures seen, byte[] data, byte[] signature) {
    return IdentityKeys.verify(node.certificate().getPublicKey(), data, signature, seen);
  }
}
