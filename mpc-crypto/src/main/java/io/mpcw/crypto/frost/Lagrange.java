package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Scalar;
import java.util.Collection;

/** Lagrange coefficients at zero over a set of participant identifiers (RFC 9591 §4.2). */
public final class Lagrange {
  private Lagrange() {}

  /** λ_i = Π_{j≠i} x_j / (x_j − x_i). */
  public static Scalar coefficient(Identifier i, Collection<Identifier> participants) {
    if (!participants.contains(i)) {
      throw new IllegalArgumentException("participant " + i + " is not in the set");
    }
    Scalar xi = i.toScalar();
    Scalar numerator = Scalar.ONE;
    Scalar denominator = Scalar.ONE;
    for (Identifier j : participants) {
      if (j.equals(i)) {
        continue;
      }
      numerator = numerator.multiply(j.toScalar());
      denominator = denominator.multiply(j.toScalar().subtract(xi));
    }
    return numerator.multiply(denominator.invert());
  }
}
