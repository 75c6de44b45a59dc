package io.mpcw.crypto.tx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.hash.Sha256;
import io.mpcw.crypto.util.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BIP-341 wallet vectors, {@code keyPathSpending[0]}: parsing, precomputed hashes, sigMsg. */
class Bip341KeyPathVectorsTest {
  private static JsonNode vector;
  private static Transaction unsigned;
  private static TaprootSighash sighash;

  @BeforeAll
  static void parseVector() {
    vector = Bip341WalletVectors.load().get("keyPathSpending").get(0);
    unsigned = Transaction.parseHex(vector.get("given").get("rawUnsignedTx").asText());
    List<TxOut> spent = new ArrayList<>();
    for (JsonNode utxo : vector.get("given").get("utxosSpent")) {
      spent.add(
          new TxOut(
              utxo.get("amountSats").asLong(), Hex.decode(utxo.get("scriptPubKey").asText())));
    }
    sighash = new TaprootSighash(unsigned, spent);
  }

  @Test
  void parsesUnsignedTransactionAndReserializesItByteExact() {
    String raw = vector.get("given").get("rawUnsignedTx").asText();

    assertThat(unsigned.inputs()).hasSize(9);
    assertThat(unsigned.outputs()).hasSize(2);
    assertThat(unsigned.hasWitness()).isFalse();
    assertThat(unsigned.toHex()).isEqualTo(raw);
  }

  @Test
  void computesEveryPrecomputedHash() {
    JsonNode expected = vector.get("intermediary");

    assertThat(Hex.encode(sighash.hashPrevouts())).isEqualTo(expected.get("hashPrevouts").asText());
    assertThat(Hex.encode(sighash.hashAmounts())).isEqualTo(expected.get("hashAmounts").asText());
    assertThat(Hex.encode(sighash.hashScriptPubkeys()))
        .isEqualTo(expected.get("hashScriptPubkeys").asText());
    assertThat(Hex.encode(sighash.hashSequences()))
        .isEqualTo(expected.get("hashSequences").asText());
    assertThat(Hex.encode(sighash.hashOutputs())).isEqualTo(expected.get("hashOutputs").asText());
  }

  @Test
  void computesSigMsgAndSigHashOfEveryKeyPathInput() {
    JsonNode inputs = vector.get("inputSpending");
    assertThat(inputs.size()).isEqualTo(7);

    for (JsonNode input : inputs) {
      int index = input.get("given").get("txinIndex").asInt();
      SighashType type = SighashType.fromByte(input.get("given").get("hashType").asInt());

      byte[] sigMsg = sighash.sigMsg(index, type, Optional.empty());

      assertThat(Hex.encode(sigMsg))
          .as("sigMsg of input %d, %s", index, type)
          .isEqualTo(input.get("intermediary").get("sigMsg").asText());
      assertThat(Hex.encode(sighash.sigHash(index, type)))
          .as("sigHash of input %d, %s", index, type)
          .isEqualTo(input.get("intermediary").get("sigHash").asText());
    }
  }

  @Test
  void acceptsRawHashTypeBytesOfTheVectors() {
    for (JsonNode input : vector.get("inputSpending")) {
      int index = input.get("given").get("txinIndex").asInt();
      int hashType = input.get("given").get("hashType").asInt();

      assertThat(Hex.encode(sighash.sigHash(index, hashType)))
          .isEqualTo(input.get("intermediary").get("sigHash").asText());
    }
  }

  @Test
  void reserializesFullySignedTransactionByteExact() {
    String raw = vector.get("auxiliary").get("fullySignedTx").asText();

    Transaction signed = Transaction.parseHex(raw);

    assertThat(signed.hasWitness()).isTrue();
    assertThat(signed.toHex()).isEqualTo(raw);
    assertThat(signed.totalSize()).isEqualTo(raw.length() / 2);
  }

  @Test
  void signedTransactionHasConsistentTxidAndWtxid() {
    byte[] raw = Hex.decode(vector.get("auxiliary").get("fullySignedTx").asText());
    Transaction signed = Transaction.parse(raw);

    assertThat(signed.txid().internalBytes())
        .isEqualTo(doubleSha256(signed.serializeWithoutWitness()));
    assertThat(signed.wtxid().internalBytes()).isEqualTo(doubleSha256(raw));
    assertThat(signed.wtxid()).isNotEqualTo(signed.txid());
    assertThat(unsigned.wtxid()).isEqualTo(unsigned.txid());
  }

  @Test
  void signedTransactionSpendsTheSameOutpointsAsTheUnsignedOne() {
    Transaction signed =
        Transaction.parseHex(vector.get("auxiliary").get("fullySignedTx").asText());

    assertThat(signed.outputs()).isEqualTo(unsigned.outputs());
    assertThat(signed.lockTime()).isEqualTo(unsigned.lockTime());
    for (int i = 0; i < unsigned.inputs().size(); i++) {
      assertThat(signed.inputs().get(i).outPoint()).isEqualTo(unsigned.inputs().get(i).outPoint());
      assertThat(signed.inputs().get(i).sequence()).isEqualTo(unsigned.inputs().get(i).sequence());
    }
    // Only input 2 (P2PKH) has a scriptSig, so the txid changes with signing, unlike for P2TR.
    assertThat(signed.inputs().get(2).scriptSig()).isNotEmpty();
    assertThat(signed.txid()).isNotEqualTo(unsigned.txid());
  }

  @Test
  void signedTransactionCarriesTheExpectedKeyPathWitnesses() {
    Transaction signed =
        Transaction.parseHex(vector.get("auxiliary").get("fullySignedTx").asText());

    for (JsonNode input : vector.get("inputSpending")) {
      int index = input.get("given").get("txinIndex").asInt();
      List<String> expected = new ArrayList<>();
      input.get("expected").get("witness").forEach(w -> expected.add(w.asText()));

      assertThat(signed.witness(index).items().stream().map(Hex::encode).toList())
          .isEqualTo(expected);
    }
  }

  @Test
  void attachingTheVectorSignaturesRebuildsTheSignedWitnesses() {
    Transaction signed =
        Transaction.parseHex(vector.get("auxiliary").get("fullySignedTx").asText());
    Transaction rebuilt = unsigned;

    for (JsonNode input : vector.get("inputSpending")) {
      int index = input.get("given").get("txinIndex").asInt();
      byte[] signature = Hex.decode(input.get("expected").get("witness").get(0).asText());
      rebuilt = rebuilt.withKeyPathSignature(index, signature);
    }

    for (JsonNode input : vector.get("inputSpending")) {
      int index = input.get("given").get("txinIndex").asInt();
      assertThat(rebuilt.witness(index)).isEqualTo(signed.witness(index));
    }
  }

  private static byte[] doubleSha256(byte[] data) {
    return Sha256.of(Sha256.of(data));
  }
}
