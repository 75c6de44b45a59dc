package io.mpcw.crypto.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mpcw.crypto.util.Hex;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed transactions are refused with {@link TransactionFormatException}, never a crash. */
class TransactionParseTest {
  private static final String GENESIS_COINBASE =
      "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff"
          + "001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e2062"
          + "72696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01"
          + "000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f"
          + "4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000";

  /** One P2TR input, one output, a 64-byte key-path signature. */
  private static final byte[] SEGWIT = sampleSegwit().serialize();

  private static final byte[] LEGACY = Hex.decode(GENESIS_COINBASE);

  @Test
  void computesGenesisCoinbaseTxidInDisplayOrder() {
    Transaction genesis = Transaction.parse(LEGACY);

    assertThat(genesis.txid().toDisplayHex())
        .isEqualTo("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    assertThat(genesis.toHex()).isEqualTo(GENESIS_COINBASE);
    assertThat(genesis.vsize()).isEqualTo(LEGACY.length);
  }

  @Test
  void refusesEveryTruncationOfLegacyTransaction() {
    for (int length = 0; length < LEGACY.length; length++) {
      assertRefused(Arrays.copyOf(LEGACY, length));
    }
  }

  @Test
  void refusesEveryTruncationOfSegwitTransaction() {
    for (int length = 0; length < SEGWIT.length; length++) {
      assertRefused(Arrays.copyOf(SEGWIT, length));
    }
  }

  @Test
  void refusesTrailingBytes() {
    byte[] padded = Arrays.copyOf(SEGWIT, SEGWIT.length + 1);

    assertThatThrownBy(() -> Transaction.parse(padded))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void refusesInputCountThatCannotFit() {
    // version, then input count 0xfe 0xffffffff: four billion inputs in a few bytes.
    byte[] bytes = Hex.decode("02000000feffffffff" + "00".repeat(60));

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("input count");
  }

  @Test
  void refusesHugeLengthPrefixWithoutAllocating() {
    // one input whose scriptSig claims 2^63 bytes.
    byte[] bytes =
        Hex.decode("0200000001" + "11".repeat(32) + "00000000" + "ffffffffffffffff7f" + "00");

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("larger than any transaction");
  }

  @Test
  void refusesScriptLongerThanTheRemainingBytes() {
    byte[] bytes =
        Hex.decode("0200000001" + "11".repeat(32) + "00000000" + "fd1027" + "00".repeat(60));

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void refusesNonCanonicalCompactSize() {
    // input count 1 written as 0xfd 0x0100.
    byte[] legacy = LEGACY.clone();
    byte[] bytes = new byte[legacy.length + 2];
    System.arraycopy(legacy, 0, bytes, 0, 4);
    bytes[4] = (byte) 0xfd;
    bytes[5] = 1;
    bytes[6] = 0;
    System.arraycopy(legacy, 5, bytes, 7, legacy.length - 5);

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("non-canonical");
  }

  @Test
  void refusesUnknownSegwitFlag() {
    byte[] bytes = SEGWIT.clone();
    bytes[5] = 0x02;

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("flag 0x02");
  }

  @Test
  void refusesSegwitMarkerWithOnlyEmptyWitnesses() {
    Transaction tx = sampleSegwit().withoutWitnesses();
    byte[] legacy = tx.serialize();
    // marker + flag after the version, one empty witness (0x00) before the lock time.
    byte[] bytes = new byte[legacy.length + 3];
    System.arraycopy(legacy, 0, bytes, 0, 4);
    bytes[4] = 0x00;
    bytes[5] = 0x01;
    System.arraycopy(legacy, 4, bytes, 6, legacy.length - 8);
    bytes[bytes.length - 5] = 0x00;
    System.arraycopy(legacy, legacy.length - 4, bytes, bytes.length - 4, 4);

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("superfluous");
  }

  @Test
  void refusesTransactionWithoutOutputs() {
    byte[] bytes =
        Hex.decode(
            "0200000001" + "11".repeat(32) + "00000000" + "00" + "ffffffff" + "00" + "00000000");

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("no outputs");
  }

  @Test
  void refusesOutputValueAboveAllBitcoin() {
    byte[] bytes =
        Hex.decode(
            "0200000001"
                + "11".repeat(32)
                + "00000000"
                + "00"
                + "ffffffff"
                + "01"
                + "ffffffffffffff7f"
                + "00"
                + "00000000");

    assertThatThrownBy(() -> Transaction.parse(bytes))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void refusesMalformedHex() {
    assertThatThrownBy(() -> Transaction.parseHex("02000000zz"))
        .isInstanceOf(TransactionFormatException.class);
    assertThatThrownBy(() -> Transaction.parseHex("0200000"))
        .isInstanceOf(TransactionFormatException.class);
  }

  @Test
  void refusesInputLargerThanAnyBlock() {
    assertThatThrownBy(() -> Transaction.parse(new byte[Transaction.MAX_SERIALIZED_SIZE + 1]))
        .isInstanceOf(TransactionFormatException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void refusesRandomCorruptionsOnlyWithFormatException() {
    Random random = new Random(341);
    for (int round = 0; round < 3_000; round++) {
      byte[] source = round % 2 == 0 ? SEGWIT : LEGACY;
      byte[] corrupted = source.clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
      }

      Throwable thrown = catchThrowable(() -> Transaction.parse(corrupted));

      if (thrown != null) {
        assertThat(thrown).isInstanceOf(TransactionFormatException.class);
      }
    }
  }

  private static void assertRefused(byte[] bytes) {
    assertThatThrownBy(() -> Transaction.parse(bytes))
        .as("%d bytes", bytes.length)
        .isInstanceOf(TransactionFormatException.class);
  }

  private static Transaction sampleSegwit() {
    byte[] p2tr = Hex.decode("5120" + "22".repeat(32));
    return Transaction.builder()
        .addInput(OutPoint.of("33".repeat(32), 1))
        .addOutput(50_000, p2tr)
        .build()
        .withKeyPathSignature(0, new byte[64]);
  }
}
