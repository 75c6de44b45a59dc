package io.mpcw.crypto.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class Secp256k1BackendsTest {
  private static final LibSecp256k1Backend.Load LOADED =
      new LibSecp256k1Backend.Load(
          Secp256k1Backends.libsecp256k1().map(b -> (LibSecp256k1Backend) b), "loaded");
  private static final LibSecp256k1Backend.Load NOT_LOADED =
      new LibSecp256k1Backend.Load(Optional.empty(), "libsecp256k1 JNI did not load: test");

  @Test
  void activeBackendIsTheOneTheSystemPropertyChooses() {
    String property = System.getProperty(Secp256k1Backends.PROPERTY, "auto");
    assertThat(Secp256k1Backends.active().name())
        .isEqualTo(Secp256k1Backends.choose(property, LOADED).backend().name());
  }

  @Test
  void nativeLibraryLoadsOnThisBuildPlatform() {
    assertThat(Secp256k1Backends.libsecp256k1()).isPresent();
    assertThat(LOADED.backend()).isPresent();
  }

  @Test
  void autoPrefersLibsecp256k1AndFallsBackToPureJavaWithTheReason() {
    assertThat(Secp256k1Backends.choose("auto", LOADED).backend().name()).isEqualTo("libsecp256k1");
    Secp256k1Backends.Choice fallback = Secp256k1Backends.choose("auto", NOT_LOADED);
    assertThat(fallback.backend()).isSameAs(BouncyCastleBackend.INSTANCE);
    assertThat(fallback.reason()).contains("did not load");
  }

  @Test
  void bouncycastleForcesPureJavaEvenWhenNativeLoads() {
    assertThat(Secp256k1Backends.choose(" BouncyCastle ", LOADED).backend())
        .isSameAs(BouncyCastleBackend.INSTANCE);
  }

  @Test
  void requiringLibsecp256k1FailsWhenItDidNotLoad() {
    assertThat(Secp256k1Backends.choose("libsecp256k1", LOADED).backend().name())
        .isEqualTo("libsecp256k1");
    assertThatThrownBy(() -> Secp256k1Backends.choose("libsecp256k1", NOT_LOADED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not load");
  }

  @Test
  void unknownBackendNameIsRefused() {
    assertThatThrownBy(() -> Secp256k1Backends.choose("openssl", LOADED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mpcw.crypto.backend");
  }

  @Test
  void selfTestRefusesABackendThatComputesWrongly() {
    assertThat(SelfTest.passes(BouncyCastleBackend.INSTANCE)).isTrue();
    assertThat(SelfTest.passes(Secp256k1Backends.libsecp256k1().orElseThrow())).isTrue();
    Secp256k1Backend acceptsAnything =
        new ForwardingBackend(BouncyCastleBackend.INSTANCE) {
          @Override
          public boolean verifySchnorr(byte[] msg, byte[] key, byte[] sig) {
            return true;
          }
        };
    Secp256k1Backend wrongSignatures =
        new ForwardingBackend(BouncyCastleBackend.INSTANCE) {
          @Override
          public byte[] signSchnorr(byte[] msg, byte[] seckey, byte[] aux) {
            byte[] sig = super.signSchnorr(msg, seckey, aux);
            sig[0] ^= 1;
            return sig;
          }
        };
    assertThat(SelfTest.passes(acceptsAnything)).isFalse();
    assertThat(SelfTest.passes(wrongSignatures)).isFalse();
  }

  /** Passes everything on, so a test can break one operation. */
  private static class ForwardingBackend implements Secp256k1Backend {
    private final Secp256k1Backend d;

    ForwardingBackend(Secp256k1Backend d) {
      this.d = d;
    }

    @Override
    public String name() {
      return "forwarding";
    }

    @Override
    public boolean verifySchnorr(byte[] msg, byte[] key, byte[] sig) {
      return d.verifySchnorr(msg, key, sig);
    }

    @Override
    public byte[] signSchnorr(byte[] msg, byte[] seckey, byte[] aux) {
      return d.signSchnorr(msg, seckey, aux);
    }

    @Override
    public Point multiplyGenerator(Scalar k) {
      return d.multiplyGenerator(k);
    }

    @Override
    public Point multiplyPublic(Point p, Scalar k) {
      return d.multiplyPublic(p, k);
    }

    @Override
    public Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b) {
      return d.sumOfTwoMultiplies(a, q, b);
    }

    @Override
    public Point sumOfMultiplies(java.util.List<Point> points, java.util.List<Scalar> scalars) {
      return d.sumOfMultiplies(points, scalars);
    }

    @Override
    public Point addMultipleOfGenerator(Point p, Scalar t) {
      return d.addMultipleOfGenerator(p, t);
    }

    @Override
    public Point sum(java.util.List<Point> points) {
      return d.sum(points);
    }

    @Override
    public Point liftCompressed(byte[] compressed) {
      return d.liftCompressed(compressed);
    }
  }
}
