package io.mpcw.crypto.ec;

import io.mpcw.crypto.util.Hex;
import java.util.Arrays;

/**
 * A known-answer test run once before a native backend is used: BIP-340 test vector 1 signed and
 * verified, its public key derived, and a tampered signature refused. A library that loads but
 * computes wrongly (wrong build, wrong platform) is then never used.
 */
final class SelfTest {
  private static final byte[] SECRET =
      Hex.decode("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
  private static final byte[] PUBLIC =
      Hex.decode("dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659");
  private static final byte[] AUX =
      Hex.decode("0000000000000000000000000000000000000000000000000000000000000001");
  private static final byte[] MESSAGE =
      Hex.decode("243f6a8885a308d313198a2e03707344a4093822299f31d0082efa98ec4e6c89");
  private static final byte[] SIGNATURE =
      Hex.decode(
          "6896bd60eeae296db48a229ff71dfe071bde413e6d43f917dc8dcf8c78de3341"
              + "8906d11ac976abccb20b091292bff4ea897efcb639ea871cfa95f6de339e4b0a");

  private SelfTest() {}

  static boolean passes(Secp256k1Backend backend) {
    byte[] tampered = SIGNATURE.clone();
    tampered[63] ^= 1;
    return Arrays.equals(backend.signSchnorr(MESSAGE, SECRET, AUX), SIGNATURE)
        && backend.verifySchnorr(MESSAGE, PUBLIC, SIGNATURE)
        && !backend.verifySchnorr(MESSAGE, PUBLIC, tampered)
        && Arrays.equals(backend.multiplyGenerator(Scalar.decode(SECRET)).encodeXOnly(), PUBLIC);
  }
}
