package io.mpcw.crypto.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads BIP-341's {@code wallet-test-vectors.json} from the shared, read-only vectors folder. */
public final class Bip341WalletVectors {
  private static final String FILE = "vectors/bip341/wallet-test-vectors.json";
  private static JsonNode root;

  private Bip341WalletVectors() {}

  /** The parsed file, read once per test JVM. */
  public static synchronized JsonNode load() {
    if (root == null) {
      Path file = sharedDir().resolve(FILE);
      try {
        root = new ObjectMapper().readTree(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read BIP-341 vectors at " + file, e);
      }
    }
    return root;
  }

  private static Path sharedDir() {
    String configured = System.getProperty("mpcw.shared.dir");
    // Surefire sets the property; an IDE run from the module directory falls back to the layout.
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of("..", "..", "shared");
  }
}
