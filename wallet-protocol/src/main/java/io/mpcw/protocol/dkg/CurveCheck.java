package io.mpcw.protocol.dkg;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/** Whether a point satisfies y² = x³ + ax + b over a prime field. */
final class CurveCheck {
  private CurveCheck() {}

  static boolean onCurve(ECPoint point, ECParameterSpec params) {
    if (point == null || point.equals(ECPoint.POINT_INFINITY)) {
      return false;
    }
    if (!(params.getCurve().getField() instanceof ECFieldFp field)) {
      return false;
    }
    BigInteger p = field.getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger a = params.getCurve().getA();
    BigInteger b = params.getCurve().getB();
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(a.multiply(x)).add(b).mod(p);
    return left.equals(right);
  }
}
