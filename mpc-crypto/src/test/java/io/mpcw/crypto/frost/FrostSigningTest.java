package io.mpcw.crypto.frost;

import static io.mpcw.crypto.frost.FrostSessions.choose;
import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.util.Hex;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrostSigningTest {
  private static final byte[] MESSAGE = "pay 10000 sats".getBytes(StandardCharsets.UTF_8);
  private final Frost frost = Frost.taproot();

  private record TweakedGroup(
      SortedMap<Identifier, KeyPackage> keys, PublicKeyPackage publicKeys, Point untweakedKey) {}

  private static TweakedGroup tweakedGroup(int n, int t, SecureRandom random) {
    Polynomial f = Polynomial.random(Scalar.random(random), t, random);
    List<Identifier> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add(Identifier.of(i));
    }
    // the easy call: a Taproot dealer finishes its keys as the DKG does, with the BIP-86 tweak
    TrustedDealer.DealtKeys dealt = TrustedDealer.split(Secp256k1Sha256Taproot.INSTANCE, f, ids);
    return new TweakedGroup(
        dealt.keyPackages(), dealt.publicKeyPackage(), Point.multiplyGenerator(f.secret()));
  }

  @ParameterizedTest(name = "{1}-of-{0}")
  @CsvSource({"3,2", "5,3"})
  void anyThresholdOfSignersProducesBip340SignatureUnderTweakedOutputKey(int n, int t) {
    SecureRandom random = seeded(7L * n + t);
    for (int round = 0; round < 4; round++) {
      TweakedGroup g = tweakedGroup(n, t, random);
      byte[] outputKey = TapTweak.outputKey(g.untweakedKey(), new byte[0]).xOnly();
      assertThat(g.publicKeys().verifyingKey().encodeXOnly()).isEqualTo(outputKey);
      List<Identifier> signers = choose(g.keys().keySet(), t, random);
      byte[] sig = FrostSessions.sign(frost, g.keys(), g.publicKeys(), signers, MESSAGE, random);
      assertThat(Bip340.verify(MESSAGE, outputKey, sig)).as("signers %s", signers).isTrue();
    }
  }

  @ParameterizedTest(name = "{1}-of-{0}")
  @CsvSource({"3,2", "5,3"})
  void rfc9591SuiteSignsWithAnyThresholdOfSigners(int n, int t) {
    Frost rfc = Frost.rfc9591();
    SecureRandom random = seeded(11L * n + t);
    TrustedDealer.DealtKeys dealt = TrustedDealer.generate(Secp256k1Sha256.INSTANCE, n, t, random);
    List<Identifier> signers = choose(dealt.keyPackages().keySet(), t, random);
    byte[] sig =
        FrostSessions.sign(
            rfc, dealt.keyPackages(), dealt.publicKeyPackage(), signers, MESSAGE, random);
    assertThat(sig).hasSize(65);
    assertThat(rfc.verify(MESSAGE, sig, dealt.publicKeyPackage().verifyingKey())).isTrue();
  }

  @ParameterizedTest(name = "{1}-of-{0}")
  @CsvSource({"3,2", "5,3"})
  void fewerThanThresholdSignersCannotProduceValidSignature(int n, int t) {
    SecureRandom random = seeded(13L * n + t);
    TweakedGroup g = tweakedGroup(n, t, random);
    List<Identifier> signers = choose(g.keys().keySet(), t - 1, random);

    assertThatThrownBy(
            () -> FrostSessions.sign(frost, g.keys(), g.publicKeys(), signers, MESSAGE, random))
        .isInstanceOf(FrostException.class);

    // Even signers who lie about the threshold only interpolate a polynomial of too low a degree.
    Map<Identifier, KeyPackage> lying = new TreeMap<>();
    g.keys()
        .forEach(
            (id, k) ->
                lying.put(
                    id,
                    new KeyPackage(
                        id, k.signingShare(), k.verifyingShare(), k.verifyingKey(), t - 1)));
    PublicKeyPackage lyingPublic =
        new PublicKeyPackage(
            g.publicKeys().verifyingShares(), g.publicKeys().verifyingKey(), t - 1);
    assertThatThrownBy(
            () -> FrostSessions.sign(frost, lying, lyingPublic, signers, MESSAGE, random))
        .isInstanceOf(FrostException.class);
  }

  @Test
  void corruptedSignatureShareIsIdentifiedByItsIdentifier() {
    SecureRandom random = seeded(17);
    TweakedGroup g = tweakedGroup(5, 3, random);
    for (int round = 0; round < 3; round++) {
      List<Identifier> signers = choose(g.keys().keySet(), 3, random);
      Identifier cheater = signers.get(round);
      List<SigningNonces> nonces = new ArrayList<>();
      for (Identifier id : signers) {
        nonces.add(frost.commit(g.keys().get(id), random));
      }
      SigningPackage sp =
          new SigningPackage(MESSAGE, nonces.stream().map(SigningNonces::commitments).toList());
      List<SignatureShare> shares = new ArrayList<>();
      for (SigningNonces n : nonces) {
        SignatureShare s = frost.sign(sp, n, g.keys().get(n.identifier()));
        shares.add(
            s.identifier().equals(cheater)
                ? new SignatureShare(cheater, s.share().add(Scalar.ONE))
                : s);
      }
      assertThatThrownBy(() -> frost.aggregate(sp, shares, g.publicKeys()))
          .isInstanceOfSatisfying(
              CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(cheater));
    }
  }

  /** Round 1 of three of the group's signers, chosen at random. */
  private List<SigningNonces> roundOneOfThree(TweakedGroup g, SecureRandom random) {
    List<SigningNonces> nonces = new ArrayList<>();
    for (Identifier id : choose(g.keys().keySet(), 3, random)) {
      nonces.add(frost.commit(g.keys().get(id), random));
    }
    return nonces;
  }

  private static SigningPackage packageOf(List<SigningNonces> nonces) {
    return new SigningPackage(MESSAGE, nonces.stream().map(SigningNonces::commitments).toList());
  }

  @Test
  void oneShareCheckPerPackageJudgesEveryShareAsVerifyShareDoes() {
    SecureRandom random = seeded(41);
    TweakedGroup g = tweakedGroup(5, 3, random);
    List<SigningNonces> nonces = roundOneOfThree(g, random);
    SigningPackage sp = packageOf(nonces);
    Frost.ShareCheck check = frost.shareCheck(sp, g.publicKeys());
    for (SigningNonces n : nonces) {
      SignatureShare good = frost.sign(sp, n, g.keys().get(n.identifier()));
      SignatureShare bad = new SignatureShare(good.identifier(), good.share().add(Scalar.ONE));

      check.verify(good);
      frost.verifyShare(good, sp, g.publicKeys());
      assertThatThrownBy(() -> check.verify(bad))
          .isInstanceOfSatisfying(
              CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(n.identifier()));
      assertThatThrownBy(() -> frost.verifyShare(bad, sp, g.publicKeys()))
          .isInstanceOf(CulpritException.class);
    }
  }

  @Test
  void aggregateOrBlameNamesEverySignerWhoseShareIsInvalid() {
    SecureRandom random = seeded(23);
    TweakedGroup g = tweakedGroup(5, 3, random);
    List<SigningNonces> nonces = roundOneOfThree(g, random);
    SigningPackage sp = packageOf(nonces);
    List<SignatureShare> good = new ArrayList<>();
    for (SigningNonces n : nonces) {
      good.add(frost.sign(sp, n, g.keys().get(n.identifier())));
    }
    Frost.Aggregate signed = frost.aggregateOrBlame(sp, good, g.publicKeys());
    assertThat(signed.culprits()).isEmpty();
    assertThat(
            Bip340.verify(
                MESSAGE, g.publicKeys().verifyingKey().encodeXOnly(), signed.signature().get()))
        .isTrue();

    List<SignatureShare> twoBad = new ArrayList<>(good);
    for (int i : new int[] {0, 2}) {
      SignatureShare s = twoBad.get(i);
      twoBad.set(i, new SignatureShare(s.identifier(), s.share().add(Scalar.ONE)));
    }
    Frost.Aggregate blamed = frost.aggregateOrBlame(sp, twoBad, g.publicKeys());
    assertThat(blamed.signature()).isEmpty();
    assertThat(blamed.culprits())
        .containsExactlyInAnyOrder(good.get(0).identifier(), good.get(2).identifier());
  }

  @Test
  void rejectsSecondUseOfSigningNonces() {
    SecureRandom random = seeded(19);
    TweakedGroup g = tweakedGroup(3, 2, random);
    KeyPackage k1 = g.keys().get(Identifier.of(1));
    SigningNonces n1 = frost.commit(k1, random);
    SigningNonces n2 = frost.commit(g.keys().get(Identifier.of(2)), random);
    SigningPackage sp = new SigningPackage(MESSAGE, List.of(n1.commitments(), n2.commitments()));
    frost.sign(sp, n1, k1);
    assertThat(n1.isUsable()).isFalse();
    assertThatThrownBy(() -> frost.sign(sp, n1, k1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closedSigningNoncesCannotSign() {
    SecureRandom random = seeded(23);
    TweakedGroup g = tweakedGroup(3, 2, random);
    KeyPackage k1 = g.keys().get(Identifier.of(1));
    SigningNonces n1 = frost.commit(k1, random);
    SigningNonces n2 = frost.commit(g.keys().get(Identifier.of(2)), random);
    SigningPackage sp = new SigningPackage(MESSAGE, List.of(n1.commitments(), n2.commitments()));
    n1.close();
    assertThatThrownBy(() -> frost.sign(sp, n1, k1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesSigningPackageWithOtherCommitmentsThanTheNonces() {
    SecureRandom random = seeded(29);
    TweakedGroup g = tweakedGroup(3, 2, random);
    KeyPackage k1 = g.keys().get(Identifier.of(1));
    SigningNonces mine = frost.commit(k1, random);
    SigningNonces other = frost.commit(k1, random);
    SigningNonces n2 = frost.commit(g.keys().get(Identifier.of(2)), random);
    SigningPackage sp = new SigningPackage(MESSAGE, List.of(other.commitments(), n2.commitments()));
    assertThatThrownBy(() -> frost.sign(sp, mine, k1)).isInstanceOf(FrostException.class);
    assertThat(mine.isUsable()).isTrue();
  }

  @Test
  void coordinatorRefusesDuplicatedIdentifiersAndRepeatedCommitments() {
    SecureRandom random = seeded(31);
    TweakedGroup g = tweakedGroup(3, 2, random);
    SigningNonces n1 = frost.commit(g.keys().get(Identifier.of(1)), random);
    SigningNonces n2 = frost.commit(g.keys().get(Identifier.of(2)), random);
    SigningCommitments c1 = n1.commitments();
    assertThatThrownBy(() -> new SigningPackage(MESSAGE, List.of(c1, c1)))
        .isInstanceOf(CryptoFormatException.class);
    SigningCommitments copied =
        new SigningCommitments(Identifier.of(2), c1.hiding(), n2.commitments().binding());
    assertThatThrownBy(() -> new SigningPackage(MESSAGE, List.of(c1, copied)))
        .isInstanceOf(CryptoFormatException.class);

    SigningPackage sp = new SigningPackage(MESSAGE, List.of(c1, n2.commitments()));
    SignatureShare s1 = frost.sign(sp, n1, g.keys().get(Identifier.of(1)));
    assertThatThrownBy(() -> frost.aggregate(sp, List.of(s1, s1), g.publicKeys()))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> frost.aggregate(sp, List.of(s1), g.publicKeys()))
        .isInstanceOf(FrostException.class);
  }

  @Test
  void keyMaterialNeverPrintsSecrets() {
    SecureRandom random = seeded(37);
    TweakedGroup g = tweakedGroup(3, 2, random);
    KeyPackage k = g.keys().get(Identifier.of(1));
    String secretHex = Hex.encode(k.signingShare().encode());
    SigningNonces n = frost.commit(k, random);
    assertThat(k.toString()).doesNotContain(secretHex).contains("redacted");
    assertThat(n.toString()).contains("redacted");
    assertThat(k.signingShare().toString()).doesNotContain(secretHex);
  }

  @Test
  void signsUnderAnOddYGroupKeyWithoutTweakAndUnderAScriptTreeTweak() {
    SecureRandom random = seeded(43);
    TrustedDealer.DealtKeys dealt = TrustedDealer.generate(Secp256k1Sha256.INSTANCE, 3, 2, random);
    while (dealt.publicKeyPackage().verifyingKey().hasEvenY()) {
      dealt = TrustedDealer.generate(Secp256k1Sha256.INSTANCE, 3, 2, random);
    }
    Point internalKey = dealt.publicKeyPackage().verifyingKey();
    List<Identifier> signers = List.of(Identifier.of(1), Identifier.of(3));
    byte[] sig =
        FrostSessions.sign(
            frost, dealt.keyPackages(), dealt.publicKeyPackage(), signers, MESSAGE, random);
    assertThat(Bip340.verify(MESSAGE, internalKey.encodeXOnly(), sig)).isTrue();

    byte[] merkleRoot = new byte[32];
    random.nextBytes(merkleRoot);
    SortedMap<Identifier, KeyPackage> tweaked = new TreeMap<>();
    dealt.keyPackages().forEach((id, k) -> tweaked.put(id, TaprootKeys.tweak(k, merkleRoot)));
    PublicKeyPackage tweakedPublic = TaprootKeys.tweak(dealt.publicKeyPackage(), merkleRoot);
    byte[] outputKey = TapTweak.outputKey(internalKey, merkleRoot).xOnly();
    byte[] scriptSig = FrostSessions.sign(frost, tweaked, tweakedPublic, signers, MESSAGE, random);
    assertThat(Bip340.verify(MESSAGE, outputKey, scriptSig)).isTrue();
  }
}
