package io.mpcw.crypto.lifecycle;

import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static io.mpcw.crypto.lifecycle.RefreshTest.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.FrostSessions;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.schnorr.Bip340;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReshareTest {
  private static final byte[] MESSAGE = {0x17, 0x52};

  /** A quorum of the old set deals; every receiver of the new set applies what it received. */
  private static final class Round {
    final Map<Identifier, Reshare.Dealing> dealings = new TreeMap<>();
    final List<Identifier> receivers;
    final int threshold;

    Round(
        LifecycleKeys old,
        List<Identifier> quorum,
        List<Identifier> receivers,
        int threshold,
        SecureRandom random) {
      this.receivers = receivers;
      this.threshold = threshold;
      for (Identifier dealer : quorum) {
        dealings.put(
            dealer, Reshare.deal(old.keys().get(dealer), quorum, receivers, threshold, random));
      }
    }

    Map<Identifier, ReshareCommitment> commitments() {
      Map<Identifier, ReshareCommitment> c = new TreeMap<>();
      dealings.forEach((id, d) -> c.put(id, d.commitment()));
      return c;
    }

    Map<Identifier, Scalar> sharesFor(Identifier receiver) {
      Map<Identifier, Scalar> s = new TreeMap<>();
      dealings.forEach((dealer, d) -> s.put(dealer, d.shares().get(receiver)));
      return s;
    }

    LifecycleKeys apply(LifecycleKeys old) {
      SortedMap<Identifier, KeyPackage> fresh = new TreeMap<>();
      for (Identifier j : receivers) {
        fresh.put(j, Reshare.receive(j, old.publicKeys(), commitments(), sharesFor(j), threshold));
      }
      return new LifecycleKeys(
          fresh,
          Reshare.newPublicKeyPackage(old.publicKeys(), commitments(), receivers, threshold));
    }
  }

  private static void assertSigns(
      LifecycleKeys keys, Point groupKey, List<Identifier> signers, SecureRandom random) {
    byte[] sig =
        FrostSessions.sign(
            Frost.taproot(), keys.keys(), keys.publicKeys(), signers, MESSAGE, random);
    assertThat(Bip340.verify(MESSAGE, groupKey.encodeXOnly(), sig)).isTrue();
  }

  @Test
  void threeOfFiveBecomesFourOfSevenUnderTheSameKeyAndFourNewSharesSign() {
    SecureRandom random = seeded(1721);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    LifecycleKeys fresh =
        new Round(old, ids(2, 4, 5), ids(1, 2, 3, 4, 5, 6, 7), 4, random).apply(old);

    Point key = old.publicKeys().verifyingKey();
    assertThat(fresh.publicKeys().verifyingKey()).isEqualTo(key);
    assertThat(fresh.publicKeys().minSigners()).isEqualTo(4);
    assertThat(fresh.publicKeys().verifyingShares()).hasSize(7);
    fresh
        .keys()
        .forEach(
            (id, k) -> {
              assertThat(k.minSigners()).isEqualTo(4);
              assertThat(fresh.publicKeys().verifyingShare(id)).contains(k.verifyingShare());
            });
    for (List<Identifier> signers : List.of(ids(1, 2, 3, 4), ids(4, 5, 6, 7), ids(1, 3, 6, 7))) {
      assertSigns(fresh, key, signers, random);
    }
  }

  @Test
  void threeNewSharesOfAFourOfSevenDoNotSign() {
    SecureRandom random = seeded(1722);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    LifecycleKeys fresh =
        new Round(old, ids(1, 2, 3), ids(1, 2, 3, 4, 5, 6, 7), 4, random).apply(old);

    // three shares interpolate to something else than the key: the signature does not verify
    byte[] sig;
    try {
      sig =
          FrostSessions.sign(
              Frost.taproot(), fresh.keys(), fresh.publicKeys(), ids(5, 6, 7), MESSAGE, random);
    } catch (RuntimeException refused) {
      return;
    }
    assertThat(Bip340.verify(MESSAGE, old.publicKeys().verifyingKey().encodeXOnly(), sig))
        .isFalse();
  }

  @Test
  void threeOfFiveBecomesTwoOfThreeOnOtherIdentifiers() {
    SecureRandom random = seeded(1723);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    List<Identifier> newSet = ids(8, 9, 10);
    LifecycleKeys fresh = new Round(old, ids(1, 3, 5), newSet, 2, random).apply(old);

    assertThat(fresh.publicKeys().verifyingShares().keySet()).containsExactlyElementsOf(newSet);
    Point key = old.publicKeys().verifyingKey();
    for (List<Identifier> signers : List.of(ids(8, 9), ids(8, 10), ids(9, 10))) {
      assertSigns(fresh, key, signers, random);
    }
  }

  @Test
  void replacingOneParticipantKeepsTheKeyAndTheThreshold() {
    SecureRandom random = seeded(1724);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    // node 2 leaves, node 6 joins
    List<Identifier> newSet = ids(1, 3, 4, 5, 6);
    LifecycleKeys fresh = new Round(old, ids(1, 2, 3), newSet, 3, random).apply(old);

    assertThat(fresh.publicKeys().verifyingShares().keySet()).containsExactlyElementsOf(newSet);
    assertThat(fresh.publicKeys().verifyingShare(Identifier.of(2))).isEmpty();
    for (Identifier stayed : ids(1, 3, 4, 5)) {
      assertThat(fresh.keys().get(stayed).signingShare())
          .isNotEqualTo(old.keys().get(stayed).signingShare());
    }
    assertSigns(fresh, old.publicKeys().verifyingKey(), ids(3, 5, 6), random);
    assertSigns(fresh, old.publicKeys().verifyingKey(), ids(1, 4, 6), random);
  }

  @Test
  void aDealerThatDealsAnotherSecretIsNamedByItsConstantTerm() {
    SecureRandom random = seeded(1725);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    List<Identifier> quorum = ids(1, 2, 3);
    List<Identifier> receivers = ids(1, 2, 3, 4, 5);
    Round round = new Round(old, quorum, receivers, 3, random);
    // dealer 2 deals its share plus one, consistently: every sub-share matches its commitment
    KeyPackage honest = old.keys().get(Identifier.of(2));
    KeyPackage shifted =
        new KeyPackage(
            honest.identifier(),
            honest.signingShare().add(Scalar.ONE),
            Point.multiplyGenerator(honest.signingShare().add(Scalar.ONE)),
            honest.verifyingKey(),
            honest.minSigners());
    round.dealings.put(Identifier.of(2), Reshare.deal(shifted, quorum, receivers, 3, random));

    assertThatThrownBy(
            () ->
                Reshare.receive(
                    Identifier.of(4),
                    old.publicKeys(),
                    round.commitments(),
                    round.sharesFor(Identifier.of(4)),
                    3))
        .isInstanceOfSatisfying(
            CulpritException.class,
            e -> {
              assertThat(e.culprit()).isEqualTo(Identifier.of(2));
              assertThat(e).hasMessageContaining("constant term");
            });
    assertThatThrownBy(
            () -> Reshare.newPublicKeyPackage(old.publicKeys(), round.commitments(), receivers, 3))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(2)));
  }

  @Test
  void aSubShareThatDoesNotMatchItsCommitmentNamesItsDealer() {
    SecureRandom random = seeded(1726);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    Round round = new Round(old, ids(1, 2, 3), ids(1, 2, 3, 4, 5, 6, 7), 4, random);
    Map<Identifier, Scalar> shares = round.sharesFor(Identifier.of(6));
    shares.put(Identifier.of(3), shares.get(Identifier.of(3)).add(Scalar.ONE));

    assertThatThrownBy(
            () ->
                Reshare.receive(Identifier.of(6), old.publicKeys(), round.commitments(), shares, 4))
        .isInstanceOfSatisfying(
            CulpritException.class,
            e -> {
              assertThat(e.culprit()).isEqualTo(Identifier.of(3));
              assertThat(e).hasMessageContaining("sub-share");
            });
  }

  @Test
  void aSubSharingOfAnotherDegreeIsRefusedSoTheNewThresholdHolds() {
    SecureRandom random = seeded(1727);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    List<Identifier> quorum = ids(1, 2, 3);
    List<Identifier> receivers = ids(1, 2, 3, 4, 5, 6, 7);
    Round round = new Round(old, quorum, receivers, 4, random);
    // dealer 1 deals degree 1 (threshold 2) with consistent sub-shares and the right constant
    round.dealings.put(
        Identifier.of(1),
        Reshare.deal(old.keys().get(Identifier.of(1)), quorum, receivers, 2, random));

    assertThatThrownBy(
            () ->
                Reshare.receive(
                    Identifier.of(7),
                    old.publicKeys(),
                    round.commitments(),
                    round.sharesFor(Identifier.of(7)),
                    4))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(1)));
  }

  @Test
  void aQuorumOtherThanThresholdCurrentParticipantsIsRefused() {
    SecureRandom random = seeded(1728);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    Round round = new Round(old, ids(1, 2, 3), ids(1, 2, 3, 4), 2, random);
    Map<Identifier, ReshareCommitment> twoDealers = round.commitments();
    twoDealers.remove(Identifier.of(3));
    assertThatThrownBy(() -> Reshare.checkCommitments(old.publicKeys(), twoDealers, 2))
        .isInstanceOf(FrostException.class)
        .hasMessageContaining("exactly 3 dealers");

    // a stranger (identifier 9) in place of dealer 3
    Map<Identifier, ReshareCommitment> stranger = round.commitments();
    stranger.put(Identifier.of(9), stranger.remove(Identifier.of(3)));
    assertThatThrownBy(() -> Reshare.checkCommitments(old.publicKeys(), stranger, 2))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(9)));

    assertThatThrownBy(
            () ->
                Reshare.deal(old.keys().get(Identifier.of(1)), ids(1, 2), ids(1, 2, 3), 2, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Reshare.deal(old.keys().get(Identifier.of(1)), ids(1, 2, 3), ids(1, 2), 3, random))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingSubShareIsRefused() {
    SecureRandom random = seeded(1729);
    LifecycleKeys old = LifecycleKeys.dkg(3, 2, random);
    Round round = new Round(old, ids(1, 3), ids(1, 2, 3), 2, random);
    Map<Identifier, Scalar> shares = round.sharesFor(Identifier.of(2));
    shares.remove(Identifier.of(3));
    assertThatThrownBy(
            () ->
                Reshare.receive(Identifier.of(2), old.publicKeys(), round.commitments(), shares, 2))
        .hasMessageContaining("every dealer");
  }

  @Test
  void theCommitmentEncodingRoundTripsAndRefusesTheIdentity() {
    SecureRandom random = seeded(1730);
    LifecycleKeys old = LifecycleKeys.dkg(3, 2, random);
    ReshareCommitment c =
        Reshare.deal(old.keys().get(Identifier.of(1)), ids(1, 2), ids(1, 2, 3), 3, random)
            .commitment();
    byte[] encoded = c.encode();
    assertThat(ReshareCommitment.decode(encoded)).isEqualTo(c);

    byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
    assertThatThrownBy(() -> ReshareCommitment.decode(truncated))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> new ReshareCommitment(List.of(Point.identity(), Point.G)))
        .isInstanceOf(CryptoFormatException.class)
        .hasMessageContaining("identity");
  }

  @Test
  void aReshareAfterAReshareStillSignsUnderTheFirstKey() {
    SecureRandom random = seeded(1731);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    LifecycleKeys wider =
        new Round(old, ids(1, 2, 3), ids(1, 2, 3, 4, 5, 6, 7), 4, random).apply(old);
    LifecycleKeys narrower =
        new Round(wider, ids(4, 5, 6, 7), ids(6, 7, 8), 2, random).apply(wider);

    assertSigns(narrower, old.publicKeys().verifyingKey(), ids(6, 8), random);
  }
}
