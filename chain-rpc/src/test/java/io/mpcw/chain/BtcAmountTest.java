package io.mpcw.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BtcAmountTest {

  @Test
  void convertsDecimalsThatDoublesCannotHoldExactly() {
    assertThat(BtcAmount.toSats(new BigDecimal("0.29"))).isEqualTo(29_000_000L);
    assertThat(BtcAmount.toSats(new BigDecimal("0.00000001"))).isEqualTo(1L);
    assertThat(BtcAmount.toSats(new BigDecimal("20999999.99999999")))
        .isEqualTo(2_099_999_999_999_999L);
    assertThat(BtcAmount.toSats(new BigDecimal("1E-8"))).isEqualTo(1L);
  }

  @Test
  void refusesFractionsOfASatoshiAndOutOfRangeAmounts() {
    assertThatThrownBy(() -> BtcAmount.toSats(new BigDecimal("0.000000001")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("satoshis");
    assertThatThrownBy(() -> BtcAmount.toSats(new BigDecimal("-0.1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BtcAmount.toSats(new BigDecimal("21000000.00000001")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesEightDecimalPlaces() {
    assertThat(BtcAmount.toBtc(1).toPlainString()).isEqualTo("0.00000001");
    assertThat(BtcAmount.toBtc(100_000_000).toPlainString()).isEqualTo("1.00000000");
  }
}
