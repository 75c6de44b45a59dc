package io.mpcw.crypto.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PointTest {
  private static final String G_X =
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  private static final String P_HEX =
      "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

  @Test
  void decodesAndEncodesGenerator() {
    Point g = Point.decodeCompressed(Hex.decode("02" + G_X));
    assertThat(g).isEqualTo(Point.G);
    assertThat(Hex.encode(g.encodeXOnly())).isEqualTo(G_X);
    assertThat(g.hasEvenY()).isTrue();
    assertThat(Point.decodeXOnly(Hex.decode(G_X))).isEqualTo(g);
    assertThat(g.negate().hasEvenY()).isFalse();
    assertThat(g.negate().encodeCompressed()[0]).isEqualTo((byte) 3);
  }

  @Test
  void rejectsMalformedEncodings() {
    assertThatThrownBy(() -> Point.decodeCompressed(Hex.decode("04" + G_X)))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Point.decodeCompressed(Hex.decode(G_X)))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Point.decodeCompressed(new byte[33]))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Point.decodeXOnly(Hex.decode(P_HEX)))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Point.decodeXOnly(new byte[0]))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Point.decodeXOnly(null)).isInstanceOf(CryptoFormatException.class);
    // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p)
    byte[] offCurve = new byte[32];
    offCurve[31] = 5;
    assertThatThrownBy(() -> Point.decodeXOnly(offCurve)).isInstanceOf(CryptoFormatException.class);
    // the element from ZF's elements.json that must be refused
    assertThatThrownBy(
            () ->
                Point.decodeCompressed(
                    Hex.decode(
                        TestVectors.json("zf-frost-secp256k1-tr/elements.json")
                            .path("elements")
                            .path("invalid_element")
                            .asText())))
        .isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void combAndPublicMultiplicationAgree() {
    Random seeded = new Random(42);
    SecureRandom random = new SecureRandom();
    random.setSeed(seeded.nextLong());
    Point base = Point.multiplyGenerator(Scalar.random(random));
    for (int i = 0; i < 5; i++) {
      Scalar k = Scalar.random(random);
      assertThat(Point.G.multiplyPublic(k)).isEqualTo(Point.multiplyGenerator(k));
      assertThat(base.multiplyPublic(k)).isEqualTo(Point.sumOfTwoMultiplies(Scalar.ZERO, base, k));
    }
    assertThat(base.multiplyPublic(Scalar.ZERO).isIdentity()).isTrue();
  }

  @Test
  void identityHasNoEncoding() {
    Point identity = Point.G.add(Point.G.negate());
    assertThat(identity.isIdentity()).isTrue();
    assertThatThrownBy(identity::encodeCompressed).isInstanceOf(IllegalStateException.class);
  }
}
