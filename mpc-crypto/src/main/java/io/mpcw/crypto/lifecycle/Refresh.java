package io.mpcw.crypto.lifecycle;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.Polynomial;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Proactive refresh of FROST shares (Herzberg et al.; ZF frost's {@code refresh} module is the
 * public reference): every participant deals a sharing of zero of the wallet's degree, each
 * participant adds every zero share it received to its own share. Since Σ λ_i·z_i = 0 for every set
 * of t participants, the new shares are shares of the same group key, while shares from before and
 * after cannot be combined. Verifying shares move by the commitments alone, so every participant
 * computes the same new public key package.
 *
 * <p>Pure math: who deals, how shares travel (sealed) and who agrees to the result is the
 * protocol's business. Works on the Taproot-tweaked key material as stored: adding zero to a
 * tweaked sharing gives a tweaked sharing of the same key.
 */
public final class Refresh {
  private Refresh() {}

  /** One participant's zero-sharing: the public commitment and one secret share per participant. */
  public record Dealing(ZeroCommitment commitment, SortedMap<Identifier, Scalar> shares) {
    public Dealing {
      shares = Collections.unmodifiableSortedMap(new TreeMap<>(shares));
    }

    @Override
    public String toString() {
      return "Dealing[threshold=" + commitment.threshold() + ", shares=redacted]";
    }
  }

  /** A fresh random polynomial of degree {@code threshold − 1} with constant term zero. */
  public static Dealing deal(
      Collection<Identifier> participants, int threshold, SecureRandom random) {
    if (threshold < 1 || threshold > participants.size()) {
      throw new IllegalArgumentException("threshold must be between 1 and the participant count");
    }
    Polynomial f = Polynomial.random(Scalar.ZERO, threshold, random);
    SortedMap<Identifier, Scalar> shares = new TreeMap<>();
    for (Identifier id : participants) {
      shares.put(id, f.evaluate(id));
    }
    return new Dealing(new ZeroCommitment(f.commitment()), shares);
  }

  /**
   * The refreshed key package of {@code own.identifier()}: its share plus every dealer's zero share
   * (its own dealing included), each checked against its dealer's commitment first.
   *
   * @param commitments dealer → its commitment, every participant's (this node's included)
   * @param shares dealer → the zero share it dealt to this participant
   * @throws CulpritException naming the dealer whose commitment has the wrong degree or whose share
   *     does not match its commitment
   */
  public static KeyPackage refreshKeyPackage(
      KeyPackage own, Map<Identifier, ZeroCommitment> commitments, Map<Identifier, Scalar> shares)
      throws FrostException {
    if (!commitments.keySet().equals(shares.keySet())) {
      throw new FrostException("a zero share and a commitment are needed from every participant");
    }
    Scalar delta = Scalar.ZERO;
    for (Map.Entry<Identifier, ZeroCommitment> dealer : new TreeMap<>(commitments).entrySet()) {
      requireDegree(dealer.getKey(), dealer.getValue(), own.minSigners());
      Scalar z = shares.get(dealer.getKey());
      if (!Point.multiplyGenerator(z).equals(dealer.getValue().evaluate(own.identifier()))) {
        throw new CulpritException(
            dealer.getKey(), "zero share does not match its dealer's commitment");
      }
      delta = delta.add(z);
    }
    Scalar share = own.signingShare().add(delta);
    Point verifyingShare = Point.multiplyGenerator(share);
    if (!verifyingShare.equals(
        own.verifyingShare().add(sumAt(commitments.values(), own.identifier())))) {
      throw new FrostException("refreshed share does not match the commitments");
    }
    return new KeyPackage(
        own.identifier(), share, verifyingShare, own.verifyingKey(), own.minSigners());
  }

  /**
   * The refreshed public key package: every verifying share moved by Σ_dealers F_j(i)·G, the group
   * key unchanged.
   *
   * @throws CulpritException naming a dealer whose commitment has the wrong degree
   */
  public static PublicKeyPackage refreshPublicKeyPackage(
      PublicKeyPackage old, Map<Identifier, ZeroCommitment> commitments) throws FrostException {
    if (!commitments.keySet().equals(old.verifyingShares().keySet())) {
      throw new FrostException("a commitment is needed from every participant");
    }
    for (Map.Entry<Identifier, ZeroCommitment> dealer : commitments.entrySet()) {
      requireDegree(dealer.getKey(), dealer.getValue(), old.minSigners());
    }
    SortedMap<Identifier, Point> shares = new TreeMap<>();
    for (Map.Entry<Identifier, Point> e : old.verifyingShares().entrySet()) {
      Point moved = e.getValue().add(sumAt(commitments.values(), e.getKey()));
      if (moved.isIdentity()) {
        // probability 2^-256 for honest dealers; a verifying share cannot be the identity
        throw new FrostException("a refreshed verifying share is the identity; deal again");
      }
      shares.put(e.getKey(), moved);
    }
    return new PublicKeyPackage(shares, old.verifyingKey(), old.minSigners());
  }

  /**
   * A higher degree would silently raise the threshold (t old signers could no longer sign); a
   * lower one would let fewer dealers' polynomials be guessed. Exactly the wallet's degree.
   */
  private static void requireDegree(Identifier dealer, ZeroCommitment c, int threshold)
      throws CulpritException {
    if (c.threshold() != threshold) {
      throw new CulpritException(
          dealer,
          "zero-sharing has "
              + c.threshold()
              + " coefficients, the wallet's threshold is "
              + threshold);
    }
  }

  private static Point sumAt(Collection<ZeroCommitment> commitments, Identifier at) {
    Point sum = Point.identity();
    for (ZeroCommitment c : commitments) {
      sum = sum.add(c.evaluate(at));
    }
    return sum;
  }
}
