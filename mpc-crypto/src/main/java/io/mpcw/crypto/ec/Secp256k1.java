package io.mpcw.crypto.ec;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** The curve parameters, shared once per JVM so BouncyCastle's precomputed G table is reused. */
final class Secp256k1 {
  static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  static final ECCurve CURVE = PARAMS.getCurve();
  static final ECPoint G = PARAMS.getG().normalize();
  static final BigInteger N = PARAMS.getN();
  static final BigInteger P = CURVE.getField().getCharacteristic();

  /**
   * Fixed-base comb: its table lookups scan the whole table and each column does the same
   * double-and-add, so the running time does not depend on the scalar's bits (the property we need
   * for nonces and key shares), and it is the fastest G multiplication BouncyCastle offers.
   */
  static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();

  private Secp256k1() {}
}
