package io.mpcw.crypto.dkg;

import static io.mpcw.crypto.frost.FrostSessions.choose;
import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Ciphersuite;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostSessions;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyGenerationResult;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.SchnorrSignature;
import io.mpcw.crypto.frost.Secp256k1Sha256;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.schnorr.Bip340;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DkgTest {
  private static final byte[] MESSAGE = {0x42};

  /** Round packages as the transport would deliver them, with an optional tamper step. */
  private static final class Run {
    final Dkg dkg;
    final SortedMap<Identifier, Dkg.Part1Result> part1 = new TreeMap<>();
    final SortedMap<Identifier, Dkg.Part2Result> part2 = new TreeMap<>();

    Run(Ciphersuite suite, int n, int t, SecureRandom random) {
      dkg = new Dkg(suite);
      for (int i = 1; i <= n; i++) {
        part1.put(Identifier.of(i), dkg.part1(Identifier.of(i), n, t, random));
      }
    }

    Map<Identifier, Round1Package> round1For(Identifier self) {
      Map<Identifier, Round1Package> m = new TreeMap<>();
      part1.forEach(
          (id, r) -> {
            if (!id.equals(self)) {
              m.put(id, r.package1());
            }
          });
      return m;
    }

    void runPart2() {
      part1.forEach((id, r) -> part2.put(id, dkg.part2(r.secretPackage(), round1For(id))));
    }

    Map<Identifier, Round2Package> round2For(Identifier self) {
      Map<Identifier, Round2Package> m = new TreeMap<>();
      part2.forEach(
          (sender, r) -> {
            if (!sender.equals(self)) {
              m.put(sender, r.packages().get(self));
            }
          });
      return m;
    }

    KeyGenerationResult part3(Identifier self) {
      return dkg.part3(part2.get(self).secretPackage(), round1For(self), round2For(self));
    }

    SortedMap<Identifier, KeyGenerationResult> finish() {
      runPart2();
      SortedMap<Identifier, KeyGenerationResult> out = new TreeMap<>();
      part1.keySet().forEach(id -> out.put(id, part3(id)));
      return out;
    }
  }

  @Test
  void taprootDkgOutputSignsUnderTheOutputKeyWithAnyThreshold() {
    SecureRandom random = seeded(101);
    SortedMap<Identifier, KeyGenerationResult> out =
        new Run(Secp256k1Sha256Taproot.INSTANCE, 5, 3, random).finish();
    var publicKeys = out.get(Identifier.of(1)).publicKeyPackage();
    out.values().forEach(r -> assertThat(r.publicKeyPackage()).isEqualTo(publicKeys));
    SortedMap<Identifier, KeyPackage> keys = new TreeMap<>();
    out.forEach((id, r) -> keys.put(id, r.keyPackage()));
    Frost frost = Frost.taproot();
    for (int round = 0; round < 3; round++) {
      List<Identifier> signers = choose(keys.keySet(), 3, random);
      byte[] sig = FrostSessions.sign(frost, keys, publicKeys, signers, MESSAGE, random);
      assertThat(Bip340.verify(MESSAGE, publicKeys.verifyingKey().encodeXOnly(), sig)).isTrue();
    }
  }

  @Test
  void rfc9591DkgOutputSigns() {
    SecureRandom random = seeded(103);
    SortedMap<Identifier, KeyGenerationResult> out =
        new Run(Secp256k1Sha256.INSTANCE, 3, 2, random).finish();
    SortedMap<Identifier, KeyPackage> keys = new TreeMap<>();
    out.forEach((id, r) -> keys.put(id, r.keyPackage()));
    var publicKeys = out.get(Identifier.of(2)).publicKeyPackage();
    Frost frost = Frost.rfc9591();
    byte[] sig =
        FrostSessions.sign(
            frost, keys, publicKeys, List.of(Identifier.of(1), Identifier.of(3)), MESSAGE, random);
    assertThat(frost.verify(MESSAGE, sig, publicKeys.verifyingKey())).isTrue();
  }

  @Test
  void corruptedShareNamesItsSender() {
    SecureRandom random = seeded(107);
    Run run = new Run(Secp256k1Sha256Taproot.INSTANCE, 5, 3, random);
    run.runPart2();
    Identifier sender = Identifier.of(4);
    Identifier victim = Identifier.of(2);
    Map<Identifier, Round2Package> received = run.round2For(victim);
    received.put(sender, new Round2Package(received.get(sender).signingShare().add(Scalar.ONE)));
    assertThatThrownBy(
            () ->
                run.dkg.part3(
                    run.part2.get(victim).secretPackage(), run.round1For(victim), received))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(sender));
  }

  @Test
  void badProofOfKnowledgeNamesItsSender() {
    SecureRandom random = seeded(109);
    Run run = new Run(Secp256k1Sha256Taproot.INSTANCE, 3, 2, random);
    Identifier cheater = Identifier.of(3);
    Map<Identifier, Round1Package> received = run.round1For(Identifier.of(1));
    Round1Package honest = received.get(cheater);
    SchnorrSignature pok = honest.proofOfKnowledge();
    received.put(
        cheater,
        new Round1Package(
            honest.commitment(), new SchnorrSignature(pok.r(), pok.z().add(Scalar.ONE))));
    assertThatThrownBy(
            () -> run.dkg.part2(run.part1.get(Identifier.of(1)).secretPackage(), received))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(cheater));

    // a proof copied from another participant does not transfer (the identifier is hashed)
    received.put(cheater, run.part1.get(Identifier.of(2)).package1());
    assertThatThrownBy(
            () -> run.dkg.part2(run.part1.get(Identifier.of(1)).secretPackage(), received))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(cheater));
  }

  @Test
  void wrongCommitmentLengthNamesItsSender() {
    SecureRandom random = seeded(113);
    Run run = new Run(Secp256k1Sha256Taproot.INSTANCE, 3, 2, random);
    Map<Identifier, Round1Package> received = run.round1For(Identifier.of(1));
    Round1Package honest = received.get(Identifier.of(2));
    received.put(
        Identifier.of(2),
        new Round1Package(List.of(honest.commitment().get(0)), honest.proofOfKnowledge()));
    assertThatThrownBy(
            () -> run.dkg.part2(run.part1.get(Identifier.of(1)).secretPackage(), received))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(2)));
  }

  @Test
  void roundPackagesRoundTripAndRefuseMalformedBytes() {
    SecureRandom random = seeded(127);
    Run run = new Run(Secp256k1Sha256Taproot.INSTANCE, 3, 2, random);
    run.runPart2();
    Round1Package r1 = run.part1.get(Identifier.of(1)).package1();
    assertThat(Round1Package.decode(r1.encode())).isEqualTo(r1);
    Round2Package r2 = run.part2.get(Identifier.of(1)).packages().get(Identifier.of(2));
    assertThat(Round2Package.decode(r2.encode())).isEqualTo(r2);
    assertThat(r2.toString()).contains("redacted");
    for (UnaryOperator<byte[]> tamper :
        List.<UnaryOperator<byte[]>>of(
            b -> Arrays.copyOf(b, b.length - 1),
            b -> Arrays.copyOf(b, b.length + 1),
            b -> Arrays.copyOf(b, 2),
            b -> {
              byte[] c = b.clone();
              c[3] = 0x05;
              return c;
            })) {
      assertThatThrownBy(() -> Round1Package.decode(tamper.apply(r1.encode())))
          .isInstanceOf(CryptoFormatException.class);
    }
    assertThatThrownBy(() -> Round2Package.decode(new byte[31]))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Round1Package.decode(new byte[0]))
        .isInstanceOf(CryptoFormatException.class);
  }
}
