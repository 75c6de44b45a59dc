package io.mpcw.crypto.ec;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link Secp256k1Backend} once per JVM: libsecp256k1 when its JNI library loads and
 * passes a known-answer test, else BouncyCastle. The system property {@value #PROPERTY} overrides
 * it: {@code bouncycastle} forces pure Java, {@code libsecp256k1} requires the native library
 * (start-up fails without it), {@code auto} (the default) prefers native.
 *
 * <p>{@link #active()}{@code .name()} and {@link #reason()} say what was chosen and why, for a log
 * line at start and a metric tag; the choice is also logged once (System.Logger, which Spring Boot
 * routes to its logging).
 */
public final class Secp256k1Backends {
  public static final String PROPERTY = "mpcw.crypto.backend";

  private static final System.Logger LOG = System.getLogger(Secp256k1Backends.class.getName());
  private static final LibSecp256k1Backend.Load NATIVE = LibSecp256k1Backend.load();
  private static final Choice CHOSEN = choose(System.getProperty(PROPERTY, "auto"), NATIVE);
  private static volatile Secp256k1Backend active = CHOSEN.backend();

  static {
    LOG.log(
        NATIVE.backend().isEmpty() ? Level.WARNING : Level.INFO,
        "secp256k1 backend: {0} ({1})",
        CHOSEN.backend().name(),
        CHOSEN.reason());
  }

  private Secp256k1Backends() {}

  record Choice(Secp256k1Backend backend, String reason) {}

  /** What the property asks for, given how loading the native library went. */
  static Choice choose(String property, LibSecp256k1Backend.Load nativeLoad) {
    switch (property.trim().toLowerCase(Locale.ROOT)) {
      case "bouncycastle":
        return new Choice(BouncyCastleBackend.INSTANCE, PROPERTY + "=bouncycastle");
      case "libsecp256k1":
        return new Choice(
            nativeLoad
                .backend()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            PROPERTY + "=libsecp256k1 but " + nativeLoad.reason())),
            nativeLoad.reason() + ", " + PROPERTY + "=libsecp256k1");
      case "auto":
        return nativeLoad
            .backend()
            .<Choice>map(b -> new Choice(b, nativeLoad.reason()))
            .orElseGet(() -> new Choice(BouncyCastleBackend.INSTANCE, nativeLoad.reason()));
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be auto, libsecp256k1 or bouncycastle, not " + property);
    }
  }

  /** The backend every operation of this library goes through. */
  public static Secp256k1Backend active() {
    return active;
  }

  /** Why the backend chosen at start was chosen (e.g. why native did not load). */
  public static String reason() {
    return CHOSEN.reason();
  }

  /** The native backend, when its library loaded and passed the self-test. */
  public static Optional<Secp256k1Backend> libsecp256k1() {
    return NATIVE.backend().map(b -> b);
  }

  /** The pure-Java backend, always available. */
  public static Secp256k1Backend bouncyCastle() {
    return BouncyCastleBackend.INSTANCE;
  }

  /**
   * Replaces the active backend, for tests and benchmarks that compare backends or count calls in
   * one JVM; returns the previous one to put back. Not for production code: the choice at start is
   * the one services should run with.
   */
  public static Secp256k1Backend replaceForTesting(Secp256k1Backend backend) {
    Secp256k1Backend previous = active;
    active = backend;
    return previous;
  }
}
