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
 * The public commitment (a_0·G, a_1·G, …, a_{t−1}·G) of one participant's sharing of zero in a
 * refresh. a_0 must be zero, so a_0·G is the identity: that is what keeps the group key unchanged,
 * and it is checked on decoding — a dealer whose constant term is anything else would be moving the
 * group key, and is refused. The identity is encoded as 33 zero bytes.
 *
 * <p>Encoding: version(1) || count(2) || count × (33 bytes: zeros for the identity at index 0, a
 * compressed point after).
 */
public record ZeroCommitment(List<Point> coefficients) {
  private static final int VERSION = 1;
  private static final byte[] IDENTITY = new byte[Point.COMPRESSED_BYTES];

  public ZeroCommitment {
    coefficients = List.copyOf(coefficients);
    if (coefficients.isEmpty()) {
      throw new CryptoFormatException("a zero-sharing commitment has at least its constant term");
    }
    if (!coefficients.get(0).isIdentity()) {
      throw new CryptoFormatException(
          "the constant term of a zero-sharing is not the identity: it would change the group key");
    }
    for (int i = 1; i < coefficients.size(); i++) {
      if (coefficients.get(i).isIdentity()) {
        throw new CryptoFormatException("coefficient " + i + " of the commitment is the identity");
      }
    }
  }

  /** t: a sharing of degree t − 1 keeps the wallet's threshold. */
  public int threshold() {
    return coefficients.size();
  }

  /** z_i·G, the public image of the zero share meant for {@code participant}. */
  public Point evaluate(Identifier participant) {
    return Polynomial.evaluateCommitment(coefficients, participant);
  }

  public byte[] encode() {
    ByteWriter out = new ByteWriter().u8(VERSION).u16(coefficients.size()).bytes(IDENTITY);
    coefficients.stream().skip(1).forEach(out::point);
    return out.toByteArray();
  }

  public static ZeroCommitment decode(byte[] bytes) {
    ByteReader in = new ByteReader(bytes, "zero-sharing commitment");
    in.expectVersion(VERSION);
    int count = in.u16();
    if (count == 0 || in.remaining() != count * Point.COMPRESSED_BYTES) {
      throw new CryptoFormatException("zero-sharing commitment: length does not match count");
    }
    byte[] constant = in.take(Point.COMPRESSED_BYTES);
    if (!java.util.Arrays.equals(constant, IDENTITY)) {
      throw new CryptoFormatException(
          "the constant term of a zero-sharing is not the identity: it would change the group key");
    }
    List<Point> points = new ArrayList<>();
    points.add(Point.identity());
    for (int i = 1; i < count; i++) {
      points.add(in.point());
    }
    in.requireEnd();
    return new ZeroCommitment(points);
  }
}
