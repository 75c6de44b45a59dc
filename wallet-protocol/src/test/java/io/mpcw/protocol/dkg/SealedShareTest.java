package io.mpcw.protocol.dkg;

import static io.mpcw.protocol.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SealedShareTest {
  private static final byte[] ATTEMPT = new byte[32];
  private static final byte[] SECRET =
      "thirty-two bytes of secret share".getBytes(StandardCharsets.UTF_8);
  private static TestPki pki;
  private final UUID wallet = UUID.randomUUID();

  @BeforeAll
  static void pki() {
    pki = TestPki.create(3);
  }

  private String seal() {
    return SealedShare.seal(
        pki.identity("node-1"),
        pki.identity("node-2").certificate(),
        wallet,
        ATTEMPT,
        "node-1",
        "node-2",
        SECRET,
        new SecureRandom());
  }

  @Test
  void aBoxOfAnotherAttemptOfTheSameWalletsDkgDoesNotOpen() {
    byte[] otherAttempt = new byte[32];
    otherAttempt[0] = 1;

    assertRefused(
        () ->
            SealedShare.open(
                pki.identity("node-2"),
                pki.identity("node-1").certificate(),
                wallet,
                otherAttempt,
                "node-1",
                "node-2",
                seal()),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-1: sealed share is not signed by node-1 for this DKG attempt");
  }

  @Test
  void theRecipientOpensWhatTheSenderSealed() {
    byte[] opened =
        SealedShare.open(
            pki.identity("node-2"),
            pki.identity("node-1").certificate(),
            wallet,
            ATTEMPT,
            "node-1",
            "node-2",
            seal());
    assertThat(opened).isEqualTo(SECRET);
  }

  @Test
  void theSealedBoxDoesNotContainThePlaintext() {
    assertThat(new String(Base64.getDecoder().decode(seal()), StandardCharsets.ISO_8859_1))
        .doesNotContain("secret share");
  }

  @Test
  void anotherNodeCannotOpenIt() {
    assertRefused(
        () ->
            SealedShare.open(
                pki.identity("node-3"),
                pki.identity("node-1").certificate(),
                wallet,
                ATTEMPT,
                "node-1",
                "node-3",
                seal()),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-1");
  }

  @Test
  void aBoxForAnotherWalletIsRefused() {
    assertRefused(
        () ->
            SealedShare.open(
                pki.identity("node-2"),
                pki.identity("node-1").certificate(),
                UUID.randomUUID(),
                ATTEMPT,
                "node-1",
                "node-2",
                seal()),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-1: sealed share is not signed by node-1");
  }

  @Test
  void aFlippedCiphertextBitIsRefused() {
    byte[] box = Base64.getDecoder().decode(seal());
    box[box.length - 90] ^= 1; // inside the ciphertext, before the signature
    assertRefused(
        () ->
            SealedShare.open(
                pki.identity("node-2"),
                pki.identity("node-1").certificate(),
                wallet,
                ATTEMPT,
                "node-1",
                "node-2",
                Base64.getEncoder().encodeToString(box)),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-1");
  }

  @Test
  void garbageIsRefusedNamingTheSender() {
    assertRefused(
        () ->
            SealedShare.open(
                pki.identity("node-2"),
                pki.identity("node-1").certificate(),
                wallet,
                ATTEMPT,
                "node-1",
                "node-2",
                "AAAA"),
        ProtocolErrors.DKG_CULPRIT,
        "culprit=node-1: sealed share is malformed");
  }
}
