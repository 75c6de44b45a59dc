package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret sharing polynomial f(x) = a_0 + a_1·x + ... + a_{t-1}·x^{t-1}, with its public
 * commitment (a_0·G, ..., a_{t-1}·G) used for verifiable secret sharing.
 */
public final class Polynomial {
  private final List<Scalar> coefficients;

  private Polynomial(List<Scalar> coefficients) {
    this.coefficients = List.copyOf(coefficients);
  }

  /** f with the given constant term (the secret) and higher coefficients. */
  public static Polynomial of(Scalar secret, List<Scalar> higherCoefficients) {
    List<Scalar> all = new ArrayList<>();
    all.add(secret);
    all.addAll(higherCoefficients);
    return new Polynomial(all);
  }

  /** A random polynomial of degree minSigners − 1 with the given secret. */
  public static Polynomial random(Scalar secret, int minSigners, SecureRandom random) {
    List<Scalar> higher = new ArrayList<>();
    for (int i = 1; i < minSigners; i++) {
      higher.add(Scalar.random(random));
    }
    return of(secret, higher);
  }

  public Scalar secret() {
    return coefficients.get(0);
  }

  public int size() {
    return coefficients.size();
  }

  /** f(x) by Horner's rule. */
  public Scalar evaluate(Identifier x) {
    Scalar xs = x.toScalar();
    Scalar acc = Scalar.ZERO;
    for (int i = coefficients.size() - 1; i >= 0; i--) {
      acc = acc.multiply(xs).add(coefficients.get(i));
    }
    return acc;
  }

  /** The public commitment (a_i·G). */
  public List<Point> commitment() {
    return coefficients.stream().map(Point::multiplyGenerator).toList();
  }

  /** Σ C_k · x^k: the public image f(x)·G of a share, computed from a commitment alone. */
  public static Point evaluateCommitment(List<Point> commitment, Identifier x) {
    Scalar xs = x.toScalar();
    Point acc = commitment.get(commitment.size() - 1);
    for (int i = commitment.size() - 2; i >= 0; i--) {
      acc = acc.multiplyPublic(xs).add(commitment.get(i));
    }
    return acc;
  }

  @Override
  public String toString() {
    return "Polynomial[degree=" + (coefficients.size() - 1) + ", coefficients=redacted]";
  }
}
