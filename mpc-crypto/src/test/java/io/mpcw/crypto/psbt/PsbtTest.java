package io.mpcw.crypto.psbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.tx.TxOut;
import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The PSBT this wallet writes, and the refusals the BIP vectors do not cover. */
class PsbtTest {
  private static final byte[] SCRIPT = Hex.decode("5120" + "11".repeat(32));
  private static final byte[] KEY = Hex.decode("22".repeat(32));

  private static Transaction tx() {
    return Transaction.builder()
        .addInput(OutPoint.of("33".repeat(32), 1))
        .addOutput(10_000, SCRIPT)
        .build();
  }

  @Test
  void fieldsAreWrittenInKeyOrderWhateverOrderTheyAreSetIn() {
    Psbt psbt =
        Psbt.create(tx())
            .withTapKeySig(0, new byte[64])
            .withTapInternalKey(0, KEY)
            .withWitnessUtxo(0, new TxOut(20_000, SCRIPT));

    assertThat(psbt.input(0).entries())
        .extracting(PsbtMap.Entry::type)
        .containsExactly(0x01, 0x13, 0x17);
    Psbt again = Psbt.parse(psbt.serialize());
    assertThat(again.witnessUtxo(0)).contains(new TxOut(20_000, SCRIPT));
    assertThat(again.tapInternalKey(0)).contains(KEY);
    assertThat(again.toBase64()).isEqualTo(psbt.toBase64());
  }

  @Test
  void settingAFieldAgainReplacesIt() {
    Psbt psbt = Psbt.create(tx()).withTapInternalKey(0, KEY).withTapInternalKey(0, new byte[32]);

    assertThat(psbt.input(0).entries()).hasSize(1);
    assertThat(psbt.tapInternalKey(0)).contains(new byte[32]);
  }

  @Test
  void wrongSizedTaprootValuesAreRefusedWhenSet() {
    Psbt psbt = Psbt.create(tx());

    assertThatThrownBy(() -> psbt.withTapKeySig(0, new byte[63]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> psbt.withTapInternalKey(0, new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> psbt.withOutputTapInternalKey(0, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> psbt.withInputEntry(0, new byte[] {0x17}, new byte[33]))
        .isInstanceOf(PsbtFormatException.class);
  }

  @Test
  void aSignedTransactionCannotBeMadeAPsbt() {
    Transaction signed = tx().withKeyPathSignature(0, new byte[64]);

    assertThatThrownBy(() -> Psbt.create(signed)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trailingBytesAVersionAboveZeroAndAForeignNonWitnessUtxoAreRefused() {
    byte[] good = Psbt.create(tx()).serialize();
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> Psbt.parse(trailing)).hasMessageContaining("trailing");

    // global map: the unsigned tx, then PSBT_GLOBAL_VERSION = 1
    Psbt v1 = Psbt.create(tx());
    byte[] bytes = v1.serialize();
    byte[] version = Hex.decode("01fb" + "04" + "01000000");
    byte[] withVersion = new byte[bytes.length + version.length];
    int at = 5 + 2 + 1 + (bytes[7] & 0xff); // magic, key length, key, value length, value
    System.arraycopy(bytes, 0, withVersion, 0, at);
    System.arraycopy(version, 0, withVersion, at, version.length);
    System.arraycopy(bytes, at, withVersion, at + version.length, bytes.length - at);
    assertThatThrownBy(() -> Psbt.parse(withVersion)).hasMessageContaining("version 0");

    Transaction other =
        Transaction.builder()
            .addInput(OutPoint.of("44".repeat(32), 0))
            .addOutput(1, SCRIPT)
            .build();
    assertThatThrownBy(
            () -> Psbt.create(tx()).withInputEntry(0, new byte[] {0x00}, other.serialize()))
        .isInstanceOf(PsbtFormatException.class);
  }
}
