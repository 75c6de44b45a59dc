package io.mpcw.crypto.frost;

import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The library's easy calls are the right ones, tried as an outside user would call them. */
class FrostApiTest {
  private static final byte[] MESSAGE = "api".getBytes(StandardCharsets.UTF_8);
  private final Frost frost = Frost.taproot();

  @Test
  void identifiersGoBeyondSixteenBitsAndGiveTheirNumberBack() {
    Identifier big = Identifier.of(1_000_000L);
    assertThat(big.longValueExact()).isEqualTo(1_000_000L);
    assertThat(big.toBigInteger()).isEqualTo(BigInteger.valueOf(1_000_000L));
    assertThat(big.toString()).isEqualTo("1000000");
    assertThat(Identifier.of(BigInteger.valueOf(70_000))).isEqualTo(Identifier.of(70_000));
    assertThat(Identifier.decode(big.encode())).isEqualTo(big);
  }

  @Test
  void refusesZeroNegativeAndOutOfFieldIdentifiers() {
    assertThatThrownBy(() -> Identifier.of(0)).isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Identifier.of(-3)).isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Identifier.of(BigInteger.ZERO))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Identifier.of(BigInteger.ONE.shiftLeft(256)))
        .isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void aTaprootDealerGivesKeysTweakedAsTheDkgDoes() {
    SecureRandom random = seeded(5);
    Polynomial f = Polynomial.random(Scalar.random(random), 2, random);
    List<Identifier> ids = List.of(Identifier.of(1), Identifier.of(2), Identifier.of(3));
    TrustedDealer.DealtKeys dealt = TrustedDealer.split(Secp256k1Sha256Taproot.INSTANCE, f, ids);

    byte[] outputKey = TapTweak.outputKey(Point.multiplyGenerator(f.secret()), new byte[0]).xOnly();
    assertThat(dealt.publicKeyPackage().verifyingKey().encodeXOnly()).isEqualTo(outputKey);
    byte[] sig =
        FrostSessions.sign(
            frost,
            dealt.keyPackages(),
            dealt.publicKeyPackage(),
            List.of(Identifier.of(1), Identifier.of(3)),
            MESSAGE,
            random);
    assertThat(Bip340.verify(MESSAGE, outputKey, sig)).isTrue();
  }

  @Test
  void bindingFactorsOfAnOddYGroupAreTheOnesItsSignersUse() {
    SecureRandom random = seeded(9);
    TrustedDealer.DealtKeys dealt = TrustedDealer.generate(Secp256k1Sha256.INSTANCE, 3, 2, random);
    while (dealt.publicKeyPackage().verifyingKey().hasEvenY()) {
      dealt = TrustedDealer.generate(Secp256k1Sha256.INSTANCE, 3, 2, random);
    }
    List<SigningCommitments> commitments = new ArrayList<>();
    for (Identifier id : List.of(Identifier.of(1), Identifier.of(2))) {
      commitments.add(frost.commit(dealt.keyPackages().get(id), random).commitments());
    }
    SigningPackage sp = new SigningPackage(MESSAGE, commitments);

    BindingFactors handedTheRawPackage = frost.bindingFactors(sp, dealt.publicKeyPackage());
    BindingFactors underTheEvenKey =
        frost.bindingFactors(sp, TaprootKeys.withEvenY(dealt.publicKeyPackage()));
    assertThat(handedTheRawPackage.groupCommitment()).isEqualTo(underTheEvenKey.groupCommitment());
    assertThat(handedTheRawPackage.factor(Identifier.of(1)))
        .isEqualTo(underTheEvenKey.factor(Identifier.of(1)));
  }

  @Test
  void givenNoncesCommitLikeNoncesDerivedFromRandomness() {
    SecureRandom random = seeded(13);
    KeyPackage key =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, random)
            .keyPackages()
            .get(Identifier.of(2));
    byte[] hidingRandomness = new byte[32];
    byte[] bindingRandomness = new byte[32];
    random.nextBytes(hidingRandomness);
    random.nextBytes(bindingRandomness);

    SigningNonces derived = frost.commitFromRandomness(key, hidingRandomness, bindingRandomness);
    SigningNonces given =
        frost.commitWithNonces(
            key,
            frost.nonce(hidingRandomness, key.signingShare()),
            frost.nonce(bindingRandomness, key.signingShare()));
    assertThat(given.commitments()).isEqualTo(derived.commitments());
    assertThatThrownBy(() -> frost.commitWithNonces(key, Scalar.ZERO, Scalar.ONE))
        .isInstanceOf(CryptoFormatException.class);
  }
}
