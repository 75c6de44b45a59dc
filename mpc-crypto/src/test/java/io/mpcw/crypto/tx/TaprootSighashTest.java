package io.mpcw.crypto.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.hash.Sha256;
import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaprootSighashTest {
  private static final byte[] P2TR_A = Hex.decode("5120" + "aa".repeat(32));
  private static final byte[] P2TR_B = Hex.decode("5120" + "bb".repeat(32));
  private static final List<TxOut> SPENT =
      List.of(new TxOut(70_000, P2TR_A), new TxOut(80_000, P2TR_B), new TxOut(90_000, P2TR_A));

  @ParameterizedTest
  @ValueSource(ints = {0x04, 0x80, 0x84, 0xff, 0x41})
  void refusesUndefinedHashType(int hashType) {
    TaprootSighash sighash = new TaprootSighash(threeInTwoOut(), SPENT);

    assertThatThrownBy(() -> sighash.sigHash(0, hashType))
        .isInstanceOf(SighashException.class)
        .hasMessageContaining(String.format("0x%02x", hashType));
  }

  @ParameterizedTest
  @EnumSource(
      value = SighashType.class,
      names = {"SINGLE", "SINGLE_ANYONECANPAY"})
  void refusesSingleWithoutOutputAtTheInputIndex(SighashType type) {
    TaprootSighash sighash = new TaprootSighash(threeInTwoOut(), SPENT);

    assertThatThrownBy(() -> sighash.sigHash(2, type))
        .isInstanceOf(SighashException.class)
        .hasMessageContaining("SIGHASH_SINGLE for input 2");
    assertThat(sighash.sigHash(1, type)).hasSize(32);
  }

  @Test
  void refusesSpentOutputsThatDoNotMatchTheInputs() {
    assertThatThrownBy(() -> new TaprootSighash(threeInTwoOut(), SPENT.subList(0, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 spent outputs for 3 inputs");
  }

  @Test
  void refusesAnnexWithoutItsTag() {
    TaprootSighash sighash = new TaprootSighash(threeInTwoOut(), SPENT);

    assertThatThrownBy(() -> sighash.sigHash(0, SighashType.DEFAULT, Optional.of(new byte[] {1})))
        .isInstanceOf(SighashException.class)
        .hasMessageContaining("0x50");
  }

  @Test
  void commitsToAnnexThroughSpendTypeAndItsHash() {
    TaprootSighash sighash = new TaprootSighash(threeInTwoOut(), SPENT);
    byte[] annex = {0x50, 1, 2, 3};

    byte[] without = sighash.sigMsg(1, SighashType.DEFAULT, Optional.empty());
    byte[] with = sighash.sigMsg(1, SighashType.DEFAULT, Optional.of(annex));

    // epoch, type, version, locktime, 4 hashes, outputs hash, then spend_type and input index.
    int spendType = 1 + 1 + 4 + 4 + 32 * 5;
    assertThat(without[spendType]).isEqualTo((byte) 0);
    assertThat(with[spendType]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(with, 0, spendType))
        .isEqualTo(Arrays.copyOfRange(without, 0, spendType));
    assertThat(Arrays.copyOfRange(with, with.length - 32, with.length))
        .isEqualTo(Sha256.of(new byte[] {4, 0x50, 1, 2, 3}));
    assertThat(with).hasSize(without.length + 32);
  }

  @Test
  void defaultSignsTheSameFieldsAsAllButUnderItsOwnByte() {
    TaprootSighash sighash = new TaprootSighash(threeInTwoOut(), SPENT);

    byte[] defaultMsg = sighash.sigMsg(0, SighashType.DEFAULT, Optional.empty());
    byte[] allMsg = sighash.sigMsg(0, SighashType.ALL, Optional.empty());

    assertThat(defaultMsg[1]).isEqualTo((byte) 0x00);
    assertThat(allMsg[1]).isEqualTo((byte) 0x01);
    assertThat(Arrays.copyOfRange(defaultMsg, 2, defaultMsg.length))
        .isEqualTo(Arrays.copyOfRange(allMsg, 2, allMsg.length));
  }

  @Test
  void anyoneCanPayIgnoresTheOtherInputs() {
    Transaction tx = threeInTwoOut();
    Transaction otherInputs =
        Transaction.builder()
            .addInput(OutPoint.of("99".repeat(32), 7))
            .addInput(tx.inputs().get(1))
            .addOutput(tx.outputs().get(0))
            .addOutput(tx.outputs().get(1))
            .build();
    List<TxOut> otherSpent = List.of(new TxOut(1, P2TR_B), SPENT.get(1));

    byte[] original = new TaprootSighash(tx, SPENT).sigHash(1, SighashType.ALL_ANYONECANPAY);
    byte[] changed =
        new TaprootSighash(otherInputs, otherSpent).sigHash(1, SighashType.ALL_ANYONECANPAY);

    assertThat(changed).isEqualTo(original);
    assertThat(new TaprootSighash(otherInputs, otherSpent).sigHash(1, SighashType.ALL))
        .isNotEqualTo(new TaprootSighash(tx, SPENT).sigHash(1, SighashType.ALL));
  }

  @Test
  void noneIgnoresTheOutputs() {
    Transaction tx = threeInTwoOut();
    Transaction otherOutputs =
        Transaction.builder()
            .addInput(tx.inputs().get(0))
            .addInput(tx.inputs().get(1))
            .addInput(tx.inputs().get(2))
            .addOutput(1, P2TR_B)
            .build();

    assertThat(new TaprootSighash(otherOutputs, SPENT).sigHash(0, SighashType.NONE))
        .isEqualTo(new TaprootSighash(tx, SPENT).sigHash(0, SighashType.NONE));
  }

  @Test
  void commitsToTheSpentAmount() {
    List<TxOut> otherAmount = List.of(new TxOut(70_001, P2TR_A), SPENT.get(1), SPENT.get(2));

    assertThat(new TaprootSighash(threeInTwoOut(), otherAmount).sigHash(1, SighashType.DEFAULT))
        .isNotEqualTo(new TaprootSighash(threeInTwoOut(), SPENT).sigHash(1, SighashType.DEFAULT));
  }

  @Test
  void refusesInputIndexOutsideTheTransaction() {
    TaprootSighash sighash = new TaprootSighash(threeInTwoOut(), SPENT);

    assertThatThrownBy(() -> sighash.sigHash(3, SighashType.DEFAULT))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static Transaction threeInTwoOut() {
    return Transaction.builder()
        .addInput(OutPoint.of("11".repeat(32), 0))
        .addInput(OutPoint.of("22".repeat(32), 1))
        .addInput(OutPoint.of("33".repeat(32), 2))
        .addOutput(100_000, P2TR_A)
        .addOutput(30_000, P2TR_B)
        .build();
  }
}
