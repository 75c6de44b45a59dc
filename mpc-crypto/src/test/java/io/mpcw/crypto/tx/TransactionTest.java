package io.mpcw.crypto.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.util.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionTest {
  private static final String TXID_DISPLAY =
      "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
  private static final byte[] P2TR = Hex.decode("5120" + "ab".repeat(32));
  private static final byte[] P2WPKH = Hex.decode("0014" + "cd".repeat(20));

  @Test
  void keepsTxidDisplayAndInternalOrdersApart() {
    Txid txid = Txid.fromDisplayHex(TXID_DISPLAY);

    assertThat(txid.toDisplayHex()).isEqualTo(TXID_DISPLAY);
    assertThat(Hex.encode(txid.internalBytes()))
        .isEqualTo("3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a");
    assertThat(Txid.fromInternalBytes(txid.internalBytes())).isEqualTo(txid);
    assertThat(txid.displayBytes()).isEqualTo(Hex.decode(TXID_DISPLAY));
  }

  @Test
  void serializesOutpointTxidInInternalOrder() {
    Transaction tx = simpleTransaction();

    String hex = tx.toHex();

    // version, input count, then the first outpoint's txid reversed from its display form.
    assertThat(hex)
        .startsWith(
            "02000000" + "02" + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a");
  }

  @Test
  void buildsVersionTwoRbfTransactionByDefault() {
    Transaction tx = simpleTransaction();

    assertThat(tx.version()).isEqualTo(2);
    assertThat(tx.lockTime()).isZero();
    assertThat(tx.inputs().get(0).sequence()).isEqualTo(0xfffffffdL);
    assertThat(tx.signalsRbf()).isTrue();
    assertThat(tx.hasWitness()).isFalse();
    assertThat(tx.witness(0).isEmpty()).isTrue();
  }

  @Test
  void finalSequenceDoesNotSignalRbf() {
    Transaction tx =
        Transaction.builder()
            .addInput(OutPoint.of(TXID_DISPLAY, 0), Sequence.FINAL)
            .addInput(OutPoint.of(TXID_DISPLAY, 1), 0xfffffffeL)
            .addOutput(1_000, P2TR)
            .build();

    assertThat(tx.signalsRbf()).isFalse();
    assertThat(Sequence.signalsRbf(Sequence.RBF)).isTrue();
  }

  @Test
  void roundTripsUnsignedTransactionThroughLegacySerialization() {
    Transaction tx = simpleTransaction();

    Transaction parsed = Transaction.parse(tx.serialize());

    assertThat(parsed).isEqualTo(tx);
    assertThat(parsed.serialize()).isEqualTo(tx.serializeWithoutWitness());
    assertThat(parsed.wtxid()).isEqualTo(parsed.txid());
    assertThat(parsed.weight()).isEqualTo(4L * tx.baseSize());
  }

  @Test
  void attachingKeyPathSignaturesSwitchesToBip144AndKeepsTxid() {
    Transaction unsigned = simpleTransaction();

    Transaction signed = unsigned.withKeyPathSignatures(List.of(new byte[64], sigWithType(0x83)));

    byte[] bytes = signed.serialize();
    assertThat(bytes[4]).isEqualTo((byte) 0x00);
    assertThat(bytes[5]).isEqualTo((byte) 0x01);
    assertThat(signed.txid()).isEqualTo(unsigned.txid());
    assertThat(signed.wtxid()).isNotEqualTo(signed.txid());
    assertThat(Transaction.parse(bytes)).isEqualTo(signed);
    assertThat(signed.withoutWitnesses()).isEqualTo(unsigned);
    assertThat(signed.weight()).isEqualTo(3L * signed.baseSize() + bytes.length);
  }

  @Test
  void leavesOriginalUntouchedWhenAttachingWitness() {
    Transaction unsigned = simpleTransaction();

    unsigned.withKeyPathSignature(0, new byte[64]);

    assertThat(unsigned.hasWitness()).isFalse();
  }

  @Test
  void refusesKeyPathSignatureOfWrongLength() {
    assertThatThrownBy(() -> simpleTransaction().withKeyPathSignature(0, new byte[63]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 or 65 bytes");
  }

  @Test
  void refusesSixtyFiveByteSignatureWithDefaultHashType() {
    assertThatThrownBy(() -> simpleTransaction().withKeyPathSignature(0, sigWithType(0x00)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SIGHASH_DEFAULT");
  }

  @Test
  void refusesSixtyFiveByteSignatureWithUndefinedHashType() {
    assertThatThrownBy(() -> simpleTransaction().withKeyPathSignature(0, sigWithType(0x04)))
        .isInstanceOf(SighashException.class);
  }

  @Test
  void refusesOneSignatureTooFew() {
    assertThatThrownBy(() -> simpleTransaction().withKeyPathSignatures(List.of(new byte[64])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 signatures for 2 inputs");
  }

  @Test
  void refusesTransactionWithoutInputsOrOutputs() {
    assertThatThrownBy(() -> Transaction.builder().addOutput(1_000, P2TR).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input");
    assertThatThrownBy(() -> Transaction.builder().addInput(OutPoint.of(TXID_DISPLAY, 0)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output");
  }

  @Test
  void refusesNegativeOrImpossibleAmounts() {
    assertThatThrownBy(() -> new TxOut(-1, P2TR)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TxOut(TxOut.MAX_MONEY + 1, P2TR))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesVoutOutsideUnsigned32Bits() {
    assertThatThrownBy(() -> OutPoint.of(TXID_DISPLAY, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void doesNotShareScriptArrays() {
    byte[] script = P2TR.clone();
    TxOut out = new TxOut(1_000, script);

    script[0] = 0;
    out.scriptPubKey()[1] = 0;

    assertThat(out.scriptPubKey()).isEqualTo(P2TR);
  }

  @Test
  void writesLargeVersionAndLockTimeAsUnsigned() {
    Transaction tx =
        Transaction.builder()
            .version(-1)
            .lockTime(0xffffffffL)
            .addInput(OutPoint.of(TXID_DISPLAY, 0xffffffffL))
            .addOutput(1_000, P2TR)
            .build();

    Transaction parsed = Transaction.parse(tx.serialize());

    assertThat(parsed.version()).isEqualTo(-1);
    assertThat(parsed.lockTime()).isEqualTo(0xffffffffL);
    assertThat(parsed.inputs().get(0).outPoint().vout()).isEqualTo(0xffffffffL);
  }

  private static Transaction simpleTransaction() {
    return Transaction.builder()
        .addInput(OutPoint.of(TXID_DISPLAY, 0))
        .addInput(OutPoint.of(TXID_DISPLAY, 1))
        .addOutput(10_000, P2TR)
        .addOutput(5_000, P2WPKH)
        .build();
  }

  private static byte[] sigWithType(int hashType) {
    byte[] sig = new byte[65];
    sig[64] = (byte) hashType;
    return sig;
  }
}
