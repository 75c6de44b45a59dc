package io.mpcw.crypto.lifecycle;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.ByteReader;
import io.mpcw.crypto.frost.ByteWriter;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.Polynomial;
import java.util.ArrayList;
import java.util.List;

/**
 * The Feldman commitment (a_0·G, a_1·G, …, a_{t'−1}·G) of one dealer's sub-sharing in a reshare.
 * Unlike a refresh's zero-sharing, the constant term is not the identity: it is λ_i·Y_i, the
 * dealer's Lagrange-weighted verifying share, and {@link Reshare} checks it against the current
 * public key package. No coefficient may be the identity (a_0 = 0 would mean a dealer that
 * contributes nothing, the others would then be one short of the group key).
 *
 * <p>Encoding: version(1) || count(2) || count × compressed point(33).
 */
public record ReshareCommitment(List<Point> coefficients) {
  private static final int VERSION = 1;

  public ReshareCommitment {
    coefficients = List.copyOf(coefficients);
    if (coefficients.isEmpty()) {
      throw new CryptoFormatException("a reshare commitment has at least its constant term");
    }
    for (int i = 0; i < coefficients.size(); i++) {
      if (coefficients.get(i).isIdentity()) {
        throw new CryptoFormatException("coefficient " + i + " of the commitment is the identity");
      }
    }
  }

  /** t': a sub-sharing of degree t' − 1 gives shares of the new threshold. */
  public int threshold() {
    return coefficients.size();
  }

  /** a_0·G, which must equal λ_i·Y_i. */
  public Point constantTerm() {
    return coefficients.get(0);
  }

  /** The public image of the sub-share meant for {@code receiver}. */
  public Point evaluate(Identifier receiver) {
    return Polynomial.evaluateCommitment(coefficients, receiver);
  }

  public byte[] encode() {
    ByteWriter out = new ByteWriter().u8(VERSION).u16(coefficients.size());
    coefficients.forEach(out::point);
    return out.toByteArray();
  }

  public static ReshareCommitment decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "reshare commitment");
    in.expectVersion(VERSION);
    int count = in.u16();
    if (count == 0 || in.remaining() != count * Point.COMPRESSED_BYTES) {
      throw new CryptoFormatException("reshare commitment: length does not match count");
    }
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      points.add(in.point());
    }
    in.requireEnd();
    return new ReshareCommitment(points);
  }
}
