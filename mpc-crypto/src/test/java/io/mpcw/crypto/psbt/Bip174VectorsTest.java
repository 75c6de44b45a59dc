package io.mpcw.crypto.psbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.tx.OutPoint;
import io.mpcw.crypto.tx.Transaction;
import io.mpcw.crypto.util.Hex;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BIP-174's own test vectors (vectors/bip174/bip-0174.mediawiki, "Test Vectors" section). */
class Bip174VectorsTest {
  private static final String FILE = "bip174/bip-0174.mediawiki";

  static List<Arguments> invalid() {
    return BipPsbtCases.between(
        FILE, "The following are invalid PSBTs:", "The following are valid PSBTs:");
  }

  static List<Arguments> valid() {
    return BipPsbtCases.between(FILE, "The following are valid PSBTs:", "Fails Signer checks");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesEveryInvalidPsbt(String name, String base64) {
    assertThatThrownBy(() -> Psbt.parseBase64(base64)).isInstanceOf(PsbtFormatException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void readsEveryValidPsbtAndWritesTheSameBytes(String name, String base64) {
    Psbt psbt = Psbt.parseBase64(base64);

    assertThat(psbt.toBase64()).isEqualTo(base64);
    assertThat(Base64.getDecoder().decode(base64)).isEqualTo(psbt.serialize());
  }

  @Test
  void vectorSectionsHaveTheCaseCountsOfTheBip() {
    assertThat(invalid()).hasSize(20);
    assertThat(valid()).hasSize(10);
  }

  @Test
  void creatorMakesTheBipsPsbtForItsTransaction() {
    // the Creator example: two inputs, two P2WPKH outputs, version 2, final sequences
    Transaction tx =
        Transaction.builder()
            .version(2)
            .lockTime(0)
            .addInput(
                OutPoint.of("75ddabb27b8845f5247975c8a5ba7c6f336c4570708ebe230caf6db5217ae858", 0),
                0xffffffffL)
            .addInput(
                OutPoint.of("1dea7cd05979072a3578cab271c02244ea8a090bbb46aa680a65ecd027048d83", 1),
                0xffffffffL)
            .addOutput(149_990_000L, Hex.decode("0014d85c2b71d0060b09c9886aeb815e50991dda124d"))
            .addOutput(100_000_000L, Hex.decode("001400aea9a2e5f0f876a588df5546e8742d1d87008f"))
            .build();

    String expected = BipPsbtCases.base64After(FILE, "must create this PSBT:");
    assertThat(Psbt.create(tx).toBase64()).isEqualTo(expected);
    assertThat(Psbt.parseBase64(expected).unsignedTx().toTransaction()).isEqualTo(tx);
  }
}
