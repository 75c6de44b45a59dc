package io.mpcw.crypto.lifecycle;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.Lagrange;
import io.mpcw.crypto.frost.Polynomial;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reshare (Desmedt–Jajodia redistribution with Feldman commitments, as in Wong–Wang–Wing's
 * verifiable secret redistribution): the key shared t-of-n on set S becomes shared t'-of-n' on set
 * S', with the same group key. A quorum Q ⊆ S of exactly t dealers each deals its Lagrange-weighted
 * share λ_i·s_i with a fresh random polynomial of degree t' − 1; since Σ_{i∈Q} λ_i·s_i = s, the
 * sums of the sub-shares every receiver j ∈ S' gets are points on a polynomial of degree t' − 1
 * whose constant term is s.
 *
 * <p>What a receiver checks, so that no dealer can move the key or hand out garbage: every
 * commitment has exactly t' coefficients (a lower degree would lower the threshold, a higher one
 * make the new set unable to sign); its constant term equals λ_i·Y_i, with Y_i the dealer's
 * verifying share in the current public key package (a dealer that deals anything but its own share
 * is named); each sub-share matches its dealer's commitment; and the new verifying shares computed
 * from the commitments alone give back the unchanged group key.
 *
 * <p>Pure math, like {@link Refresh}: who deals, how the sub-shares travel (sealed) and who
 * approves is the protocol's business. Works on the Taproot-tweaked key material as stored.
 */
public final class Reshare {
  private Reshare() {}

  /** One dealer's sub-sharing: the public commitment and one secret sub-share per receiver. */
  public record Dealing(ReshareCommitment commitment, SortedMap<Identifier, Scalar> shares) {
    public Dealing {
      shares = Collections.unmodifiableSortedMap(new TreeMap<>(shares));
    }

    @Override
    public String toString() {
      return "Dealing[threshold=" + commitment.threshold() + ", shares=redacted]";
    }
  }

  /**
   * Dealer {@code dealer.identifier()}'s sub-sharing of λ_i·s_i for the new set.
   *
   * @param quorum the t dealers, this one included, all participants of the current sharing
   * @param receivers the new set S'
   * @param newThreshold t', between 1 and |S'|
   */
  public static Dealing deal(
      KeyPackage dealer,
      Collection<Identifier> quorum,
      Collection<Identifier> receivers,
      int newThreshold,
      SecureRandom random) {
    SortedSet<Identifier> q = new TreeSet<>(quorum);
    if (!q.contains(dealer.identifier())) {
      throw new IllegalArgumentException("this dealer is not in the quorum");
    }
    if (q.size() != dealer.minSigners()) {
      throw new IllegalArgumentException(
          "the quorum has " + q.size() + " dealers, the threshold is " + dealer.minSigners());
    }
    SortedSet<Identifier> to = new TreeSet<>(receivers);
    requireThreshold(newThreshold, to.size());
    Scalar weighted = Lagrange.coefficient(dealer.identifier(), q).multiply(dealer.signingShare());
    Polynomial f = Polynomial.random(weighted, newThreshold, random);
    SortedMap<Identifier, Scalar> shares = new TreeMap<>();
    for (Identifier j : to) {
      shares.put(j, f.evaluate(j));
    }
    return new Dealing(new ReshareCommitment(f.commitment()), shares);
  }

  /**
   * Checks every dealer's commitment against the current public key package: the quorum is t of the
   * current participants, each commitment has t' coefficients and its constant term is λ_i·Y_i, and
   * the constant terms add up to the group key.
   *
   * @throws CulpritException naming the first dealer whose commitment is wrong
   * @throws FrostException when the quorum itself is not a valid one
   */
  public static void checkCommitments(
      PublicKeyPackage old, Map<Identifier, ReshareCommitment> commitments, int newThreshold)
      throws FrostException {
    SortedSet<Identifier> quorum = new TreeSet<>(commitments.keySet());
    if (quorum.size() != old.minSigners()) {
      throw new FrostException(
          "a reshare needs exactly " + old.minSigners() + " dealers, " + quorum.size() + " dealt");
    }
    // every dealer first: a stranger in the quorum changes every other dealer's λ
    for (Identifier dealer : quorum) {
      if (old.verifyingShare(dealer).isEmpty()) {
        throw new CulpritException(dealer, "dealer is not a current participant");
      }
    }
    Point constants = Point.identity();
    for (Identifier dealer : quorum) {
      Point verifyingShare = old.verifyingShares().get(dealer);
      ReshareCommitment c = commitments.get(dealer);
      if (c.threshold() != newThreshold) {
        throw new CulpritException(
            dealer,
            "sub-sharing has "
                + c.threshold()
                + " coefficients, the new threshold is "
                + newThreshold);
      }
      Point expected = verifyingShare.multiplyPublic(Lagrange.coefficient(dealer, quorum));
      if (!c.constantTerm().equals(expected)) {
        throw new CulpritException(
            dealer, "constant term of the sub-sharing is not the dealer's weighted share");
      }
      constants = constants.add(c.constantTerm());
    }
    // follows from the checks above when the package is consistent; checked, not assumed
    if (!constants.equals(old.verifyingKey())) {
      throw new FrostException("the dealers' constant terms do not add up to the group key");
    }
  }

  /**
   * Receiver {@code receiver}'s key package in the new sharing: the sum of its sub-shares, each
   * checked against its dealer's commitment, after {@link #checkCommitments}.
   *
   * @param commitments dealer → its commitment, the whole quorum's
   * @param subShares dealer → the sub-share it dealt to this receiver
   * @throws CulpritException naming a dealer whose commitment or sub-share is wrong
   */
  public static KeyPackage receive(
      Identifier receiver,
      PublicKeyPackage old,
      Map<Identifier, ReshareCommitment> commitments,
      Map<Identifier, Scalar> subShares,
      int newThreshold)
      throws FrostException {
    if (!commitments.keySet().equals(subShares.keySet())) {
      throw new FrostException("a sub-share and a commitment are needed from every dealer");
    }
    checkCommitments(old, commitments, newThreshold);
    Scalar share = Scalar.ZERO;
    Point verifyingShare = Point.identity();
    for (Map.Entry<Identifier, ReshareCommitment> dealer : new TreeMap<>(commitments).entrySet()) {
      Scalar sub = subShares.get(dealer.getKey());
      Point image = dealer.getValue().evaluate(receiver);
      if (!Point.multiplyGenerator(sub).equals(image)) {
        throw new CulpritException(
            dealer.getKey(), "sub-share does not match its dealer's commitment");
      }
      share = share.add(sub);
      verifyingShare = verifyingShare.add(image);
    }
    if (verifyingShare.isIdentity()) {
      // probability 2^-256 for honest dealers; a verifying share cannot be the identity
      throw new FrostException("the new verifying share is the identity; deal again");
    }
    return new KeyPackage(receiver, share, verifyingShare, old.verifyingKey(), newThreshold);
  }

  /**
   * The new public key package, from the commitments alone (every receiver and the orchestrator
   * compute the same one): Y'_j = Σ_i F_i(j), the group key unchanged, checked by interpolating the
   * new verifying shares of t' receivers back to the group key.
   *
   * @throws CulpritException naming a dealer whose commitment is wrong
   */
  public static PublicKeyPackage newPublicKeyPackage(
      PublicKeyPackage old,
      Map<Identifier, ReshareCommitment> commitments,
      Collection<Identifier> receivers,
      int newThreshold)
      throws FrostException {
    SortedSet<Identifier> to = new TreeSet<>(receivers);
    requireThreshold(newThreshold, to.size());
    checkCommitments(old, commitments, newThreshold);
    SortedMap<Identifier, Point> shares = new TreeMap<>();
    for (Identifier j : to) {
      Point y = Point.identity();
      for (ReshareCommitment c : commitments.values()) {
        y = y.add(c.evaluate(j));
      }
      if (y.isIdentity()) {
        throw new FrostException("a new verifying share is the identity; deal again");
      }
      shares.put(j, y);
    }
    SortedSet<Identifier> firstSigners = new TreeSet<>();
    for (Identifier j : to) {
      if (firstSigners.size() == newThreshold) {
        break;
      }
      firstSigners.add(j);
    }
    Point key = Point.identity();
    for (Identifier j : firstSigners) {
      key = key.add(shares.get(j).multiplyPublic(Lagrange.coefficient(j, firstSigners)));
    }
    if (!key.equals(old.verifyingKey())) {
      throw new FrostException("the new verifying shares do not give the unchanged group key");
    }
    return new PublicKeyPackage(shares, old.verifyingKey(), newThreshold);
  }

  private static void requireThreshold(int threshold, int receivers) {
    if (threshold < 1 || threshold > receivers) {
      throw new IllegalArgumentException(
          "the new threshold must be between 1 and the new participant count");
    }
  }
}
