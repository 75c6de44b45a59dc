package io.mpcw.crypto.lifecycle;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Repairable threshold scheme (Laing and Stinson; ZF frost's {@code repairable} module is the
 * public reference): t helpers give a participant who lost its share a fresh copy of it, and none
 * of them learns it. Helper i computes its part of the Lagrange interpolation at the lost
 * identifier, δ_i = λ_i(r)·s_i, and splits it into t random pieces that sum to δ_i, one per helper
 * (its own included); each helper sums the pieces it received, σ_j = Σ_i δ_{i,j}, and sends only
 * that sum to the participant, who adds them up: Σ_j σ_j = Σ_i δ_i = s_r. A helper sees one random
 * piece of every other helper's δ, and the participant sees only sums.
 *
 * <p>The participant checks the result against its verifying share in the group's public key
 * package, which every helper holds: a wrong piece is detected (not attributed).
 */
public final class Repair {
  private Repair() {}

  /**
   * Step 1, at helper {@code helper.identifier()}: its δ split into one piece per helper.
   *
   * @param helpers the t helpers, this one included; the lost participant is not among them
   */
  public static SortedMap<Identifier, Scalar> pieces(
      KeyPackage helper, Collection<Identifier> helpers, Identifier lost, SecureRandom random) {
    TreeSet<Identifier> set = new TreeSet<>(helpers);
    if (set.contains(lost)) {
      throw new IllegalArgumentException("the lost participant cannot help itself");
    }
    if (!set.contains(helper.identifier())) {
      throw new IllegalArgumentException("this helper is not among the helpers");
    }
    if (set.size() < helper.minSigners()) {
      throw new IllegalArgumentException(
          set.size() + " helpers cannot repair a share of threshold " + helper.minSigners());
    }
    Scalar delta = lagrangeAt(helper.identifier(), set, lost).multiply(helper.signingShare());
    SortedMap<Identifier, Scalar> pieces = new TreeMap<>();
    Scalar rest = delta;
    List<Identifier> ordered = List.copyOf(set);
    for (int k = 0; k < ordered.size() - 1; k++) {
      Scalar piece = Scalar.random(random);
      pieces.put(ordered.get(k), piece);
      rest = rest.subtract(piece);
    }
    pieces.put(ordered.get(ordered.size() - 1), rest);
    return Collections.unmodifiableSortedMap(pieces);
  }

  /** Step 2, at each helper: the sum of the pieces it received (its own included). */
  public static Scalar sum(Collection<Scalar> received) {
    Scalar sigma = Scalar.ZERO;
    for (Scalar piece : received) {
      sigma = sigma.add(piece);
    }
    return sigma;
  }

  /**
   * Step 3, at the participant: its share from the helpers' sums, checked against its verifying
   * share in the public key package before it is accepted.
   *
   * @throws FrostException when the sums do not give the share the public key package names
   */
  public static KeyPackage recover(
      Identifier lost, Collection<Scalar> sums, PublicKeyPackage publicKeys) {
    Point expected =
        publicKeys
            .verifyingShare(lost)
            .orElseThrow(() -> new FrostException(lost + " is not a participant of the wallet"));
    Scalar share = sum(sums);
    Point verifyingShare = Point.multiplyGenerator(share);
    if (!verifyingShare.equals(expected)) {
      throw new FrostException(
          "the repaired share does not match the verifying share of " + lost + "; a helper erred");
    }
    return new KeyPackage(
        lost, share, verifyingShare, publicKeys.verifyingKey(), publicKeys.minSigners());
  }

  /** λ_i(x) = Π_{j≠i} (x − x_j) / (x_i − x_j): interpolation at the lost identifier, not zero. */
  static Scalar lagrangeAt(Identifier i, Collection<Identifier> set, Identifier at) {
    Scalar x = at.toScalar();
    Scalar xi = i.toScalar();
    Scalar numerator = Scalar.ONE;
    Scalar denominator = Scalar.ONE;
    for (Identifier j : set) {
      if (j.equals(i)) {
        continue;
      }
      numerator = numerator.multiply(x.subtract(j.toScalar()));
      denominator = denominator.multiply(xi.subtract(j.toScalar()));
    }
    return numerator.multiply(denominator.invert());
  }
}
