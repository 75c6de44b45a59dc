package io.mpcw.crypto.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.util.Hex;
import org.junit.jupiter.api.Test;

class ScalarTest {
  private static final String N_HEX =
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

  @Test
  void rejectsValueEqualToOrderAndWrongLengths() {
    assertThatThrownBy(() -> Scalar.decode(Hex.decode(N_HEX)))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Scalar.decode(new byte[31])).isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Scalar.decode(new byte[33])).isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Scalar.decode(null)).isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Scalar.decodeNonZero(new byte[32]))
        .isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void roundTripsLargestValidScalar() {
    byte[] nMinusOne = Hex.decode(N_HEX.substring(0, 62) + "40");
    assertThat(Scalar.decode(nMinusOne).encode()).isEqualTo(nMinusOne);
    assertThat(Scalar.decode(nMinusOne).add(Scalar.ONE).isZero()).isTrue();
  }

  @Test
  void neverPrintsItsValue() {
    Scalar secret = Scalar.of(123456789);
    assertThat(secret.toString()).doesNotContain("123456789").doesNotContain("75bcd15");
  }

  @Test
  void arithmeticIsConsistent() {
    Scalar a = Scalar.of(7);
    Scalar b = Scalar.of(5);
    assertThat(a.subtract(b)).isEqualTo(Scalar.of(2));
    assertThat(a.multiply(a.invert())).isEqualTo(Scalar.ONE);
    assertThat(a.add(a.negate()).isZero()).isTrue();
  }
}
