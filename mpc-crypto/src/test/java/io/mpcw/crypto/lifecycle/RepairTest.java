package io.mpcw.crypto.lifecycle;

import static io.mpcw.crypto.frost.FrostSessions.seeded;
import static io.mpcw.crypto.lifecycle.RefreshTest.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RepairTest {

  /** Runs the three steps; {@code tamper} may alter the pieces in transit. */
  private static List<Scalar> sums(
      LifecycleKeys keys, List<Identifier> helpers, Identifier lost, SecureRandom random) {
    Map<Identifier, SortedMap<Identifier, Scalar>> dealt = new TreeMap<>();
    for (Identifier h : helpers) {
      dealt.put(h, Repair.pieces(keys.keys().get(h), helpers, lost, random));
    }
    List<Scalar> sums = new ArrayList<>();
    for (Identifier j : helpers) {
      List<Scalar> received = new ArrayList<>();
      dealt.values().forEach(pieces -> received.add(pieces.get(j)));
      sums.add(Repair.sum(received));
    }
    return sums;
  }

  @Test
  void thresholdHelpersRecoverTheLostShareExactly() {
    SecureRandom random = seeded(1711);
    LifecycleKeys keys = LifecycleKeys.dkg(5, 3, random);
    Identifier lost = Identifier.of(3);

    KeyPackage repaired =
        Repair.recover(lost, sums(keys, ids(1, 4, 5), lost, random), keys.publicKeys());

    assertThat(repaired).isEqualTo(keys.keys().get(lost));
  }

  @Test
  void noHelperSeesTheLostShareInWhatItReceives() {
    SecureRandom random = seeded(1712);
    LifecycleKeys keys = LifecycleKeys.dkg(3, 2, random);
    Identifier lost = Identifier.of(2);
    List<Identifier> helpers = ids(1, 3);
    Scalar secret = keys.keys().get(lost).signingShare();

    SortedMap<Identifier, Scalar> fromOne =
        Repair.pieces(keys.keys().get(Identifier.of(1)), helpers, lost, random);
    SortedMap<Identifier, Scalar> fromThree =
        Repair.pieces(keys.keys().get(Identifier.of(3)), helpers, lost, random);
    // what helper 3 holds at the end of step 1: its own δ pieces and one piece of helper 1's δ
    assertThat(fromOne.get(Identifier.of(3))).isNotEqualTo(secret);
    assertThat(fromThree.values()).doesNotContain(secret);
    assertThat(Repair.sum(List.of(fromOne.get(Identifier.of(3)), fromThree.get(Identifier.of(3)))))
        .isNotEqualTo(secret);
  }

  @Test
  void aWrongSumIsDetectedAgainstThePublicKeyPackage() {
    SecureRandom random = seeded(1713);
    LifecycleKeys keys = LifecycleKeys.dkg(5, 3, random);
    Identifier lost = Identifier.of(2);
    List<Scalar> sums = sums(keys, ids(1, 3, 4), lost, random);
    sums.set(1, sums.get(1).add(Scalar.ONE));

    assertThatThrownBy(() -> Repair.recover(lost, sums, keys.publicKeys()))
        .isInstanceOf(FrostException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void fewerHelpersThanTheThresholdAreRefused() {
    SecureRandom random = seeded(1714);
    LifecycleKeys keys = LifecycleKeys.dkg(5, 3, random);
    assertThatThrownBy(
            () ->
                Repair.pieces(
                    keys.keys().get(Identifier.of(1)), ids(1, 2), Identifier.of(5), random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot repair");
  }

  @Test
  void theLostParticipantCannotBeAHelper() {
    SecureRandom random = seeded(1715);
    LifecycleKeys keys = LifecycleKeys.dkg(3, 2, random);
    assertThatThrownBy(
            () ->
                Repair.pieces(
                    keys.keys().get(Identifier.of(1)), ids(1, 2), Identifier.of(2), random))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
