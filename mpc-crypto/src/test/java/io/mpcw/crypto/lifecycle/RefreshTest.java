package io.mpcw.crypto.lifecycle;

import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostSessions;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.schnorr.Bip340;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RefreshTest {
  private static final byte[] MESSAGE = {0x17};

  /** Every participant deals; every participant applies what it received. */
  private static final class Round {
    final Map<Identifier, Refresh.Dealing> dealings = new TreeMap<>();

    Round(LifecycleKeys keys, SecureRandom random) {
      int t = keys.publicKeys().minSigners();
      keys.keys()
          .keySet()
          .forEach(id -> dealings.put(id, Refresh.deal(keys.keys().keySet(), t, random)));
    }

    Map<Identifier, ZeroCommitment> commitments() {
      Map<Identifier, ZeroCommitment> c = new TreeMap<>();
      dealings.forEach((id, d) -> c.put(id, d.commitment()));
      return c;
    }

    Map<Identifier, Scalar> sharesFor(Identifier recipient) {
      Map<Identifier, Scalar> s = new TreeMap<>();
      dealings.forEach((dealer, d) -> s.put(dealer, d.shares().get(recipient)));
      return s;
    }

    LifecycleKeys apply(LifecycleKeys old) {
      SortedMap<Identifier, KeyPackage> fresh = new TreeMap<>();
      old.keys()
          .forEach(
              (id, k) -> fresh.put(id, Refresh.refreshKeyPackage(k, commitments(), sharesFor(id))));
      return new LifecycleKeys(
          fresh, Refresh.refreshPublicKeyPackage(old.publicKeys(), commitments()));
    }
  }

  @Test
  void refreshedSharesSignUnderTheUnchangedOutputKeyWithAnySignerSet() {
    SecureRandom random = seeded(1701);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    LifecycleKeys fresh = new Round(old, random).apply(old);

    assertThat(fresh.publicKeys().verifyingKey()).isEqualTo(old.publicKeys().verifyingKey());
    fresh
        .keys()
        .forEach(
            (id, k) -> {
              assertThat(k.signingShare()).isNotEqualTo(old.keys().get(id).signingShare());
              assertThat(fresh.publicKeys().verifyingShare(id)).contains(k.verifyingShare());
            });
    for (List<Identifier> signers :
        List.of(ids(1, 2, 3), ids(3, 4, 5), ids(1, 3, 5), ids(2, 4, 5))) {
      byte[] sig =
          FrostSessions.sign(
              Frost.taproot(), fresh.keys(), fresh.publicKeys(), signers, MESSAGE, random);
      assertThat(Bip340.verify(MESSAGE, old.publicKeys().verifyingKey().encodeXOnly(), sig))
          .isTrue();
    }
  }

  @Test
  void oldAndNewSharesDoNotCombineIntoASignature() {
    SecureRandom random = seeded(1702);
    LifecycleKeys old = LifecycleKeys.dkg(5, 3, random);
    LifecycleKeys fresh = new Round(old, random).apply(old);
    SortedMap<Identifier, KeyPackage> mixed = new TreeMap<>(fresh.keys());
    mixed.put(Identifier.of(1), old.keys().get(Identifier.of(1)));
    Map<Identifier, Point> mixedPublic = new TreeMap<>(fresh.publicKeys().verifyingShares());
    mixedPublic.put(Identifier.of(1), old.keys().get(Identifier.of(1)).verifyingShare());
    PublicKeyPackage mixedKeys =
        new PublicKeyPackage(mixedPublic, old.publicKeys().verifyingKey(), 3);

    byte[] sig;
    try {
      sig = FrostSessions.sign(Frost.taproot(), mixed, mixedKeys, ids(1, 2, 3), MESSAGE, random);
    } catch (RuntimeException refusedByAggregation) {
      return;
    }
    assertThat(Bip340.verify(MESSAGE, old.publicKeys().verifyingKey().encodeXOnly(), sig))
        .isFalse();
  }

  @Test
  void twoRefreshesInARowKeepTheKey() {
    SecureRandom random = seeded(1703);
    LifecycleKeys old = LifecycleKeys.dkg(3, 2, random);
    LifecycleKeys once = new Round(old, random).apply(old);
    LifecycleKeys twice = new Round(once, random).apply(once);
    byte[] sig =
        FrostSessions.sign(
            Frost.taproot(), twice.keys(), twice.publicKeys(), ids(1, 3), MESSAGE, random);
    assertThat(Bip340.verify(MESSAGE, old.publicKeys().verifyingKey().encodeXOnly(), sig)).isTrue();
  }

  @Test
  void aCommitmentWhoseConstantTermIsNotTheIdentityIsRefused() {
    SecureRandom random = seeded(1704);
    List<Point> moving =
        List.of(
            Point.multiplyGenerator(Scalar.of(5)), Point.multiplyGenerator(Scalar.random(random)));
    assertThatThrownBy(() -> new ZeroCommitment(moving))
        .isInstanceOf(CryptoFormatException.class)
        .hasMessageContaining("not the identity");

    byte[] encoded = Refresh.deal(ids(1, 2, 3), 2, random).commitment().encode();
    byte[] forged = encoded.clone();
    byte[] g = Point.G.encodeCompressed();
    System.arraycopy(g, 0, forged, 3, g.length);
    assertThatThrownBy(() -> ZeroCommitment.decode(forged))
        .isInstanceOf(CryptoFormatException.class)
        .hasMessageContaining("not the identity");
    assertThat(ZeroCommitment.decode(encoded).encode()).isEqualTo(encoded);
  }

  @Test
  void aZeroShareThatDoesNotMatchItsCommitmentNamesItsDealer() {
    SecureRandom random = seeded(1705);
    LifecycleKeys old = LifecycleKeys.dkg(3, 2, random);
    Round round = new Round(old, random);
    Map<Identifier, Scalar> shares = round.sharesFor(Identifier.of(1));
    shares.put(Identifier.of(2), shares.get(Identifier.of(2)).add(Scalar.ONE));

    assertThatThrownBy(
            () ->
                Refresh.refreshKeyPackage(
                    old.keys().get(Identifier.of(1)), round.commitments(), shares))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(2)));
  }

  @Test
  void aZeroSharingOfAnotherDegreeIsRefusedSoTheThresholdCannotBeRaised() {
    SecureRandom random = seeded(1706);
    LifecycleKeys old = LifecycleKeys.dkg(3, 2, random);
    Round round = new Round(old, random);
    // dealer 3 deals degree 2 (threshold 3) with consistent shares
    Refresh.Dealing higher = Refresh.deal(old.keys().keySet(), 3, random);
    round.dealings.put(Identifier.of(3), higher);

    assertThatThrownBy(
            () ->
                Refresh.refreshKeyPackage(
                    old.keys().get(Identifier.of(1)),
                    round.commitments(),
                    round.sharesFor(Identifier.of(1))))
        .isInstanceOfSatisfying(
            CulpritException.class, e -> assertThat(e.culprit()).isEqualTo(Identifier.of(3)));
    assertThatThrownBy(() -> Refresh.refreshPublicKeyPackage(old.publicKeys(), round.commitments()))
        .isInstanceOf(CulpritException.class);
  }

  @Test
  void aMissingDealerIsRefused() {
    SecureRandom random = seeded(1707);
    LifecycleKeys old = LifecycleKeys.dkg(3, 2, random);
    Round round = new Round(old, random);
    Map<Identifier, ZeroCommitment> commitments = round.commitments();
    commitments.remove(Identifier.of(2));

    assertThatThrownBy(() -> Refresh.refreshPublicKeyPackage(old.publicKeys(), commitments))
        .hasMessageContaining("every participant");
  }

  static List<Identifier> ids(int... ids) {
    List<Identifier> out = new ArrayList<>();
    for (int id : ids) {
      out.add(Identifier.of(id));
    }
    return out;
  }
}
