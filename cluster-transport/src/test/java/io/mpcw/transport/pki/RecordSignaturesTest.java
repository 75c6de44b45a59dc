package io.mpcw.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSignaturesTest {

  private static final Instant NOW = Instant.now();
  private static final SecureRandom RANDOM = new SecureRandom();
  private final CertificateIssuer issuer = new CertificateIssuer();
  private final IdentityCredentials ca =
      issuer.createCa(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));
  private final IdentityCredentials node1 = node("node-1");
  private final IdentityCredentials node2 = node("node-2");
  private final IdentityCredentials orchestrator = node("orchestrator");
  private final byte[] vote = "vote tx-1 approve".getBytes(StandardCharsets.UTF_8);

  @Test
  void aRecordSignedByANodeVerifiesAgainstItsCertificateOnly() {
    byte[] signature = RecordSignatures.sign(node1, vote);

    assertThat(RecordSignatures.verify(node1.certificate(), vote, signature)).isTrue();
    assertThat(RecordSignatures.verify(node2.certificate(), vote, signature)).isFalse();
  }

  @Test
  void aSignatureDoesNotCoverOtherData() {
    byte[] signature = RecordSignatures.sign(node1, vote);
    byte[] reject = "vote tx-1 reject".getBytes(StandardCharsets.UTF_8);

    assertThat(RecordSignatures.verify(node1.certificate(), reject, signature)).isFalse();
  }

  @Test
  void everyRecordOfAProcessCarriesTheSameEndorsedKeyAndAFreshSignature() {
    byte[] first = RecordSignatures.sign(node1, vote);
    byte[] second = RecordSignatures.sign(node1, vote);

    assertThat(Arrays.copyOfRange(first, 0, first.length - 64))
        .isEqualTo(Arrays.copyOfRange(second, 0, second.length - 64));
    // fresh auxiliary randomness per signature: the same data never gives the same bytes
    assertThat(first).isNotEqualTo(second);
    assertThat(RecordSignatures.verify(node1.certificate(), vote, second)).isTrue();
  }

  @Test
  void aRecordKeyEndorsedByAnotherIdentityDoesNotSpeakForTheNode() {
    // the attacker holds the orchestrator's real credentials and etcd access: it can endorse a key
    // of its own and sign any vote with it, but only under its own certificate
    byte[] secret = Scalar.random(RANDOM).encode();
    byte[] key = Bip340.publicKey(secret);
    byte[] endorsement = IdentityKeys.sign(orchestrator, RecordSignatures.endorsementPayload(key));
    byte[] forged =
        RecordSignatures.encode(
            key, endorsement, Bip340.sign(RecordSignatures.message(vote), secret, aux()));

    assertThat(RecordSignatures.verify(orchestrator.certificate(), vote, forged)).isTrue();
    assertThat(RecordSignatures.verify(node1.certificate(), vote, forged)).isFalse();
  }

  @Test
  void aNodesEndorsementDoesNotCoverAnotherRecordKey() {
    // node-1's genuine endorsement spliced in front of the attacker's key and signature
    byte[] genuine = RecordSignatures.sign(node1, vote);
    int endorsementLength = genuine[33] & 0xff;
    byte[] endorsement = Arrays.copyOfRange(genuine, 34, 34 + endorsementLength);
    byte[] secret = Scalar.random(RANDOM).encode();
    byte[] forged =
        RecordSignatures.encode(
            Bip340.publicKey(secret),
            endorsement,
            Bip340.sign(RecordSignatures.message(vote), secret, aux()));

    assertThat(RecordSignatures.verify(node1.certificate(), vote, forged)).isFalse();
  }

  @Test
  void anEndorsementMustNotBeOverAnythingButTheRecordKeyPrefix() {
    // a P-256 signature by node-1 over the bare key (say, from another protocol) is no endorsement
    byte[] secret = Scalar.random(RANDOM).encode();
    byte[] key = Bip340.publicKey(secret);
    byte[] bare = IdentityKeys.sign(node1, key);
    byte[] forged =
        RecordSignatures.encode(
            key, bare, Bip340.sign(RecordSignatures.message(vote), secret, aux()));

    assertThat(RecordSignatures.verify(node1.certificate(), vote, forged)).isFalse();
  }

  @Test
  void malformedSignaturesAreNotValid() {
    byte[] genuine = RecordSignatures.sign(node1, vote);
    byte[] otherFormat = genuine.clone();
    otherFormat[0] = 0x02;
    byte[] lengthTooLong = genuine.clone();
    lengthTooLong[33] = (byte) 0xff;
    byte[] lengthZero = genuine.clone();
    lengthZero[33] = 0;
    byte[] flipped = genuine.clone();
    flipped[genuine.length - 1] ^= 1;

    for (byte[] bad :
        List.of(
            new byte[0],
            Arrays.copyOf(genuine, 40),
            Arrays.copyOf(genuine, genuine.length - 1),
            Arrays.copyOf(genuine, genuine.length + 1),
            otherFormat,
            lengthTooLong,
            lengthZero,
            flipped,
            IdentityKeys.sign(node1, vote))) {
      assertThat(RecordSignatures.verify(node1.certificate(), vote, bad)).isFalse();
    }
    assertThat(RecordSignatures.verify(node1.certificate(), vote, null)).isFalse();
  }

  private IdentityCredentials node(String name) {
    return issuer.issue(ca, name, List.of(), NOW.minusSeconds(60), NOW.plusSeconds(600));
  }

  private static byte[] aux() {
    byte[] aux = new byte[32];
    RANDOM.nextBytes(aux);
    return aux;
  }
}
