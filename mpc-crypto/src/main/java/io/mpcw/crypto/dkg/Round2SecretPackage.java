package io.mpcw.crypto.dkg;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Identifier;
import java.util.List;

/** A participant's private state between DKG part 2 and part 3: its own share f_i(i). */
public final class Round2SecretPackage {
  private final Identifier identifier;
  private final List<Point> commitment;
  private final Scalar ownShare;
  private final int minSigners;
  private final int maxSigners;

  Round2SecretPackage(
      Identifier identifier,
      List<Point> commitment,
      Scalar ownShare,
      int minSigners,
      int maxSigners) {
    this.identifier = identifier;
    this.commitment = List.copyOf(commitment);
    this.ownShare = ownShare;
    this.minSigners = minSigners;
    this.maxSigners = maxSigners;
  }

  public Identifier identifier() {
    return identifier;
  }

  List<Point> commitment() {
    return commitment;
  }

  Scalar ownShare() {
    return ownShare;
  }

  int minSigners() {
    return minSigners;
  }

  int maxSigners() {
    return maxSigners;
  }

  @Override
  public String toString() {
    return "Round2SecretPackage[id=" + identifier + ", share=redacted]";
  }
}
