package io.mpcw.crypto.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.taproot.TweakedKey;
import io.mpcw.crypto.util.Hex;
import io.mpcw.crypto.vectors.TestVectors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * libsecp256k1 and BouncyCastle must be interchangeable: byte-identical results on the BIP-340 and
 * BIP-341 vectors and on thousands of random inputs (fixed seed), and the same refusals. Each check
 * runs the public API ({@code Bip340}, {@code TapTweak}, {@code Point}) once per backend.
 */
class BackendCrossCheckTest {
  private static final Secp256k1Backend NATIVE =
      Secp256k1Backends.libsecp256k1()
          .orElseThrow(() -> new AssertionError("libsecp256k1 did not load"));
  private static final Secp256k1Backend PURE = Secp256k1Backends.bouncyCastle();
  private static final int RANDOM_CASES = 2000;

  private final Secp256k1Backend original = Secp256k1Backends.active();

  @AfterEach
  void restoreBackend() {
    Secp256k1Backends.replaceForTesting(original);
  }

  /** The value under each backend; both must agree (arrays by content). */
  private static <T> T same(String what, Supplier<T> op) {
    Object nativeResult = on(NATIVE, op);
    T pureResult = on(PURE, op);
    assertThat(nativeResult).as(what).isEqualTo(pureResult);
    return pureResult;
  }

  private static <T> T on(Secp256k1Backend backend, Supplier<T> op) {
    Secp256k1Backend previous = Secp256k1Backends.replaceForTesting(backend);
    try {
      return op.get();
    } finally {
      Secp256k1Backends.replaceForTesting(previous);
    }
  }

  @Test
  void bothBackendsMatchEveryBip340VectorRow() {
    List<String> lines = TestVectors.lines("bip340/test-vectors.csv");
    int checked = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      String row = "row " + f[0];
      byte[] pub = Hex.decode(f[2]);
      byte[] msg = Hex.decode(f[4]);
      byte[] sig = Hex.decode(f[5]);
      boolean expected = f[6].equals("TRUE");
      if (!f[1].isEmpty()) {
        byte[] sec = Hex.decode(f[1]);
        byte[] aux = Hex.decode(f[3]);
        assertThat(same(row + " pubkey", () -> Bip340.publicKey(sec))).isEqualTo(pub);
        assertThat(same(row + " sign", () -> Bip340.sign(msg, sec, aux))).isEqualTo(sig);
      }
      assertThat(same(row + " verify", () -> Bip340.verify(msg, pub, sig))).isEqualTo(expected);
      // each backend on its own, not only through Bip340 (which validates lengths first)
      assertThat(NATIVE.verifySchnorr(msg, pub, sig)).as(row).isEqualTo(expected);
      assertThat(PURE.verifySchnorr(msg, pub, sig)).as(row).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(19);
  }

  @Test
  void bothBackendsMatchTheBip341TweakVectors() {
    JsonNode vectors = TestVectors.json("bip341/wallet-test-vectors.json");
    int checked = 0;
    for (JsonNode c : vectors.path("scriptPubKey")) {
      byte[] internal = Hex.decode(c.path("given").path("internalPubkey").asText());
      JsonNode root = c.path("intermediary").path("merkleRoot");
      byte[] merkleRoot = root.isNull() ? new byte[0] : Hex.decode(root.asText());
      TweakedKey q = same("output key", () -> TapTweak.outputKey(internal, merkleRoot));
      assertThat(Hex.encode(q.xOnly()))
          .isEqualTo(c.path("intermediary").path("tweakedPubkey").asText());
      checked++;
    }
    for (JsonNode input : vectors.path("keyPathSpending").get(0).path("inputSpending")) {
      byte[] secret = Hex.decode(input.path("given").path("internalPrivkey").asText());
      JsonNode root = input.path("given").path("merkleRoot");
      byte[] merkleRoot = root.isNull() ? new byte[0] : Hex.decode(root.asText());
      Scalar tweaked =
          same("tweaked secret", () -> TapTweak.tweakSecretKey(Scalar.decode(secret), merkleRoot));
      assertThat(Hex.encode(tweaked.encode()))
          .isEqualTo(input.path("intermediary").path("tweakedPrivkey").asText());
      byte[] sighash = Hex.decode(input.path("intermediary").path("sigHash").asText());
      same("key-path signature", () -> Bip340.sign(sighash, tweaked.encode(), new byte[32]));
      checked++;
    }
    assertThat(checked).isEqualTo(14);
  }

  @Test
  void bothBackendsAgreeOnRandomKeysSignaturesAndTweaks() {
    Random random = new Random(340_341L);
    int valid = 0;
    for (int i = 0; i < RANDOM_CASES; i++) {
      byte[] secret = randomScalar(random).encode();
      byte[] msg = bytes(random, i % 10 == 0 ? random.nextInt(80) : 32);
      byte[] aux = bytes(random, 32);
      byte[] pub = same("public key", () -> Bip340.publicKey(secret));
      byte[] sig = same("signature", () -> Bip340.sign(msg, secret, aux));
      assertThat(same("verify", () -> Bip340.verify(msg, pub, sig))).isTrue();
      byte[] flipped = sig.clone();
      flipped[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
      assertThat(same("verify flipped", () -> Bip340.verify(msg, pub, flipped))).isFalse();
      // random 32-byte strings as keys and signatures: mostly invalid (x off the curve, r ≥ p)
      byte[] junkKey = bytes(random, 32);
      byte[] junkSig = bytes(random, 64);
      assertThat(same("verify junk", () -> Bip340.verify(msg, junkKey, junkSig))).isFalse();
      byte[] merkleRoot = i % 2 == 0 ? new byte[0] : bytes(random, 32);
      same("output key", () -> TapTweak.outputKey(pub, merkleRoot).xOnly());
      same("tweaked secret", () -> TapTweak.tweakSecretKey(Scalar.decode(secret), merkleRoot));
      valid++;
    }
    assertThat(valid).isEqualTo(RANDOM_CASES);
  }

  @Test
  void bothBackendsAgreeOnPointArithmeticIncludingTheIdentity() {
    Random random = new Random(9591L);
    for (int i = 0; i < RANDOM_CASES; i++) {
      Scalar a = randomScalar(random);
      Scalar b = randomScalar(random);
      Point q = on(PURE, () -> Point.multiplyGenerator(randomScalar(random)));
      same("k·G", () -> Point.multiplyGenerator(a));
      same("k·P public", () -> q.multiplyPublic(b));
      same("a·G + b·Q", () -> Point.sumOfTwoMultiplies(a, q, b));
      same("P + t·G", () -> q.addMultipleOfGenerator(a));
      List<Point> points = List.of(q, Point.G, q.negate());
      List<Scalar> scalars = List.of(a, b, randomScalar(random));
      same("Σ k_i·P_i", () -> Point.sumOfMultiplies(points, scalars));
      same("Σ P_i", () -> Point.sum(List.of(q, Point.G, q.multiplyPublic(a))));
      byte[] compressed = q.encodeCompressed();
      assertThat(same("lift 02/03", () -> Point.decodeCompressed(compressed))).isEqualTo(q);
      same("lift x-only", () -> Point.decodeXOnly(q.encodeXOnly()));
    }
    Point p = Point.G.multiplyPublic(Scalar.of(7));
    Scalar seven = Scalar.of(7);
    assertThat(same("0·G", () -> Point.multiplyGenerator(Scalar.ZERO)).isIdentity()).isTrue();
    assertThat(same("0·P", () -> p.multiplyPublic(Scalar.ZERO)).isIdentity()).isTrue();
    assertThat(same("k·O", () -> Point.identity().multiplyPublic(seven)).isIdentity()).isTrue();
    assertThat(same("P + (-7)·G", () -> p.addMultipleOfGenerator(seven.negate())).isIdentity())
        .isTrue();
    assertThat(same("7·G - 1·P", () -> Point.sumOfTwoMultiplies(seven, p, Scalar.ONE.negate())))
        .matches(Point::isIdentity);
    assertThat(same("0·G + 1·P", () -> Point.sumOfTwoMultiplies(Scalar.ZERO, p, Scalar.ONE)))
        .isEqualTo(p);
    assertThat(same("O + 7·G", () -> Point.identity().addMultipleOfGenerator(seven))).isEqualTo(p);
    assertThat(
            same(
                "7·P - 1·P·7",
                () -> Point.sumOfMultiplies(List.of(p, p), List.of(seven, seven.negate()))))
        .matches(Point::isIdentity);
    assertThat(
            same(
                "0·P + 1·P",
                () -> Point.sumOfMultiplies(List.of(p, p), List.of(Scalar.ZERO, Scalar.ONE))))
        .isEqualTo(p);
    assertThat(same("0·P", () -> Point.sumOfMultiplies(List.of(p), List.of(Scalar.ZERO))))
        .matches(Point::isIdentity);
    assertThat(same("P + (-P)", () -> Point.sum(List.of(p, p.negate()))))
        .matches(Point::isIdentity);
    assertThat(same("P + O", () -> Point.sum(List.of(p, Point.identity())))).isEqualTo(p);
    assertThat(same("O", () -> Point.sum(List.of(Point.identity())))).matches(Point::isIdentity);
    assertThat(same("P alone", () -> Point.sum(List.of(p)))).isEqualTo(p);
    assertThat(same("P + P", () -> Point.sum(List.of(p, p))))
        .isEqualTo(p.multiplyPublic(Scalar.of(2)));
  }

  @Test
  void bothBackendsRefuseAnXWithoutAPointTheSameWay() {
    byte[] offCurve = new byte[Point.COMPRESSED_BYTES];
    offCurve[0] = 0x02;
    // the first x from 1 up whose x³ + 7 is not a square: no point has it
    for (int x = 1; ; x++) {
      offCurve[Point.COMPRESSED_BYTES - 1] = (byte) x;
      if (!liftsUnder(PURE, offCurve)) {
        break;
      }
    }
    byte[] aboveP = Hex.decode("02" + "ff".repeat(32));
    for (Secp256k1Backend backend : List.of(NATIVE, PURE)) {
      assertThat(liftsUnder(backend, offCurve)).as(backend.name()).isFalse();
      Secp256k1Backends.replaceForTesting(backend);
      assertThatThrownBy(() -> Point.decodeCompressed(offCurve))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Point.decodeCompressed(aboveP))
          .isInstanceOf(CryptoFormatException.class)
          .hasMessageContaining("below the field prime");
      byte[] xOnly = Arrays.copyOfRange(offCurve, 1, Point.COMPRESSED_BYTES);
      assertThatThrownBy(() -> Point.decodeXOnly(xOnly)).isInstanceOf(CryptoFormatException.class);
    }
  }

  private static boolean liftsUnder(Secp256k1Backend backend, byte[] compressed) {
    try {
      backend.liftCompressed(compressed);
      return true;
    } catch (CryptoFormatException e) {
      return false;
    }
  }

  @Test
  void bothBackendsRefuseInvalidInputTheSameWay() {
    byte[] key = on(PURE, () -> Bip340.publicKey(Hex.decode("03".repeat(32))));
    byte[] n = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    for (Secp256k1Backend backend : List.of(NATIVE, PURE)) {
      Secp256k1Backends.replaceForTesting(backend);
      assertThatThrownBy(() -> Bip340.verify(new byte[32], key, new byte[63]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Bip340.verify(new byte[32], new byte[33], new byte[64]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Bip340.verify(null, key, new byte[64]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Bip340.sign(new byte[32], new byte[32], new byte[32]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Bip340.sign(new byte[32], n, new byte[32]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Bip340.sign(new byte[32], key, new byte[31]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Bip340.publicKey(new byte[31]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> TapTweak.outputKey(new byte[32], new byte[0]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> TapTweak.outputKey(key, new byte[31]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Point.decodeUncompressed(new byte[65]))
          .isInstanceOf(CryptoFormatException.class);
      assertThatThrownBy(() -> Point.identity().encodeUncompressed())
          .isInstanceOf(IllegalStateException.class);
    }
  }

  private static Scalar randomScalar(Random random) {
    while (true) {
      try {
        return Scalar.decodeNonZero(bytes(random, 32));
      } catch (CryptoFormatException e) {
        // ≥ n: astronomically rare, draw again
      }
    }
  }

  private static byte[] bytes(Random random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }
}
