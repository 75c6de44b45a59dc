package io.mpcw.crypto.dkg;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.Polynomial;
import java.util.List;

/** A participant's private state between DKG part 1 and part 2: its secret polynomial. */
public final class Round1SecretPackage {
  private final Identifier identifier;
  private final Polynomial polynomial;
  private final List<Point> commitment;
  private final int minSigners;
  private final int maxSigners;

  Round1SecretPackage(
      Identifier identifier,
      Polynomial polynomial,
      List<Point> commitment,
      int minSigners,
      int maxSigners) {
    this.identifier = identifier;
    this.polynomial = polynomial;
    this.commitment = List.copyOf(commitment);
    this.minSigners = minSigners;
    this.maxSigners = maxSigners;
  }

  public Identifier identifier() {
    return identifier;
  }

  Polynomial polynomial() {
    return polynomial;
  }

  List<Point> commitment() {
    return commitment;
  }

  int minSigners() {
    return minSigners;
  }

  int maxSigners() {
    return maxSigners;
  }

  @Override
  public String toString() {
    return "Round1SecretPackage[id=" + identifier + ", polynomial=redacted]";
  }
}
