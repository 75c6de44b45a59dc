package io.mpcw.crypto.schnorr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class Bip340VectorsTest {

  @Test
  void matchesEveryRowOfTheOfficialCsv() {
    List<String> lines = TestVectors.lines("bip340/test-vectors.csv");
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      String row = "row " + f[0] + " " + f[7];
      byte[] pub = Hex.decode(f[2]);
      byte[] msg = Hex.decode(f[4]);
      byte[] sig = Hex.decode(f[5]);
      boolean expected = f[6].equals("TRUE");
      if (!f[1].isEmpty()) {
        byte[] sec = Hex.decode(f[1]);
        assertThat(Bip340.publicKey(sec)).as(row).isEqualTo(pub);
        assertThat(Bip340.sign(msg, sec, Hex.decode(f[3]))).as(row).isEqualTo(sig);
        assertThat(Bip340.sign(msg, sec, pub, Hex.decode(f[3]))).as(row).isEqualTo(sig);
      }
      assertThat(Bip340.verify(msg, pub, sig)).as(row).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(19);
  }

  @Test
  void aSignatureIsNotReleasedUnderAPublicKeyOfAnotherSecret() {
    byte[] secret = Hex.decode("03".repeat(32));
    byte[] otherKey = Bip340.publicKey(Hex.decode("04".repeat(32)));

    assertThatThrownBy(() -> Bip340.sign(new byte[32], secret, otherKey, new byte[32]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Bip340.sign(new byte[32], secret, new byte[33], new byte[32]))
        .isInstanceOf(CryptoFormatException.class);
  }

  @Test
  void rejectsWrongLengthsWithTypedException() {
    byte[] key = Bip340.publicKey(Hex.decode("03".repeat(32)));
    assertThatThrownBy(() -> Bip340.verify(new byte[0], key, new byte[63]))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Bip340.verify(new byte[0], new byte[33], new byte[64]))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Bip340.sign(new byte[0], new byte[32], new byte[32]))
        .isInstanceOf(CryptoFormatException.class);
    assertThatThrownBy(() -> Bip340.sign(new byte[0], Hex.decode("03".repeat(32)), new byte[31]))
        .isInstanceOf(CryptoFormatException.class);
  }
}
