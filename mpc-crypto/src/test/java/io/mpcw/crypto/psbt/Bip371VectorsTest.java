package io.mpcw.crypto.psbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.taproot.TapTweak;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BIP-371's Taproot PSBT vectors (vectors/bip371/bip-0371.mediawiki, "Test Vectors"). */
class Bip371VectorsTest {
  private static final String FILE = "bip371/bip-0371.mediawiki";

  static List<Arguments> invalid() {
    return BipPsbtCases.between(
        FILE, "The following are invalid PSBTs:", "The following are valid PSBTs:");
  }

  static List<Arguments> valid() {
    return BipPsbtCases.between(FILE, "The following are valid PSBTs:", "==Rationale==");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesEveryMalformedTaprootField(String name, String base64) {
    assertThatThrownBy(() -> Psbt.parseBase64(base64)).isInstanceOf(PsbtFormatException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void readsEveryValidTaprootPsbtAndWritesTheSameBytes(String name, String base64) {
    assertThat(Psbt.parseBase64(base64).toBase64()).isEqualTo(base64);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void internalKeyAndMerkleRootGiveTheSpentOutputKey(String name, String base64) {
    Psbt psbt = Psbt.parseBase64(base64);
    for (int i = 0; i < psbt.unsignedTx().inputs().size(); i++) {
      byte[] spent = psbt.witnessUtxo(i).orElseThrow().scriptPubKey();
      byte[] internal = psbt.tapInternalKey(i).orElseThrow();
      byte[] root = psbt.tapMerkleRoot(i).orElse(new byte[0]);

      byte[] outputKey = TapTweak.outputKey(internal, root).xOnly();

      assertThat(Arrays.copyOfRange(spent, 0, 2)).containsExactly(0x51, 0x20);
      assertThat(Arrays.copyOfRange(spent, 2, 34)).isEqualTo(outputKey);
    }
  }

  @Test
  void keyPathSignatureIsReadFromTheSignedVector() {
    Psbt psbt =
        Psbt.parseBase64(
            BipPsbtCases.base64After(
                FILE,
                "PSBT with one P2TR key only input with internal key, its derivation path, and"
                    + " signature"));

    assertThat(psbt.tapKeySig(0)).get().satisfies(sig -> assertThat(sig).hasSize(64));
  }

  @Test
  void vectorSectionsHaveTheCaseCountsOfTheBip() {
    assertThat(invalid()).hasSize(11);
    assertThat(valid()).hasSize(6);
  }
}
