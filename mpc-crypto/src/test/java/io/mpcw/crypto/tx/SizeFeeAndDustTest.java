package io.mpcw.crypto.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.util.Hex;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizeFeeAndDustTest {
  private static final byte[] P2TR = Hex.decode("5120" + "ab".repeat(32));
  private static final byte[] P2WPKH = Hex.decode("0014" + "cd".repeat(20));
  private static final byte[] P2WSH = Hex.decode("0020" + "ef".repeat(32));
  private static final byte[] P2PKH = Hex.decode("76a914" + "12".repeat(20) + "88ac");
  private static final byte[] OP_RETURN = Hex.decode("6a0401020304");

  /** Input counts around the CompactSize boundary at 253 are included on purpose. */
  @ParameterizedTest
  @CsvSource({"1,1", "1,2", "2,2", "3,5", "7,1", "252,2", "253,2", "254,300"})
  void estimatesExactlyTheVsizeOfTheSignedTransaction(int inputs, int outputs) {
    List<TxOut> outs = mixedOutputs(outputs);
    Transaction unsigned = transaction(inputs, outs);
    Transaction signed = unsigned.withKeyPathSignatures(Collections.nCopies(inputs, new byte[64]));

    assertThat(KeyPathSizeEstimator.vsize(inputs, outs)).isEqualTo(signed.vsize());
    assertThat(KeyPathSizeEstimator.weight(inputs, outs)).isEqualTo(signed.weight());
    assertThat(KeyPathSizeEstimator.vsize(unsigned)).isEqualTo(signed.vsize());
  }

  @Test
  void estimatesTheWellKnownSizeOfOneInTwoOutTaprootPayment() {
    // 1 P2TR in, 2 P2TR out: 10.5 + 57.5 + 2 × 43 = 154 vbytes.
    assertThat(KeyPathSizeEstimator.vsize(1, List.of(new TxOut(1, P2TR), new TxOut(1, P2TR))))
        .isEqualTo(154);
  }

  @Test
  void estimateRefusesNoInputsOrNoOutputs() {
    assertThatThrownBy(() -> KeyPathSizeEstimator.vsize(0, List.of(new TxOut(1, P2TR))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyPathSizeEstimator.vsize(1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundsFeeUp() {
    assertThat(FeeCalculator.fee(2, 154)).isEqualTo(308);
    assertThat(FeeCalculator.fee(new BigDecimal("1.01"), 154)).isEqualTo(156);
    assertThat(FeeCalculator.fee(new BigDecimal("0.1"), 155)).isEqualTo(16);
    assertThat(FeeCalculator.fee(BigDecimal.ZERO, 155)).isZero();
  }

  @Test
  void refusesNegativeFeeRate() {
    assertThatThrownBy(() -> FeeCalculator.fee(new BigDecimal("-1"), 100))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knowsTheDefaultDustLimitsOfSegwitOutputs() {
    assertThat(DustLimit.of(P2TR)).isEqualTo(DustLimit.P2TR).isEqualTo(330);
    assertThat(DustLimit.of(P2WPKH)).isEqualTo(DustLimit.P2WPKH).isEqualTo(294);
    assertThat(DustLimit.of(P2WSH)).isEqualTo(DustLimit.P2WSH).isEqualTo(330);
  }

  @Test
  void chargesLegacyOutputsTheFullInputSize() {
    assertThat(DustLimit.of(P2PKH)).isEqualTo(546);
  }

  @Test
  void treatsOpReturnAsNeverDust() {
    assertThat(DustLimit.of(OP_RETURN)).isZero();
    assertThat(DustLimit.isDust(new TxOut(0, OP_RETURN))).isFalse();
  }

  @Test
  void flagsOutputsBelowTheLimitAsDust() {
    assertThat(DustLimit.isDust(new TxOut(329, P2TR))).isTrue();
    assertThat(DustLimit.isDust(new TxOut(330, P2TR))).isFalse();
    assertThat(DustLimit.isDust(new TxOut(293, P2WPKH))).isTrue();
    assertThat(DustLimit.isDust(new TxOut(294, P2WPKH))).isFalse();
  }

  private static List<TxOut> mixedOutputs(int count) {
    byte[][] scripts = {P2TR, P2WPKH, P2WSH, P2PKH, OP_RETURN};
    List<TxOut> outs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      outs.add(new TxOut(1_000 + i, scripts[i % scripts.length]));
    }
    return outs;
  }

  private static Transaction transaction(int inputs, List<TxOut> outputs) {
    Transaction.Builder builder = Transaction.builder();
    for (int i = 0; i < inputs; i++) {
      builder.addInput(OutPoint.of("5a".repeat(32), i));
    }
    outputs.forEach(builder::addOutput);
    return builder.build();
  }
}
