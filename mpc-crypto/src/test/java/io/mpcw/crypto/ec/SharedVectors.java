package io.mpcw.crypto.ec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Locates the read-only test vectors in the shared directory beside the repository. */
public final class SharedVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SharedVectors() {}

  public static Path path(String relative) {
    String configured = System.getProperty("mpcw.shared.dir");
    Path base = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
    Path file = base.resolve("vectors").resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("test vector file missing: " + file.toAbsolutePath());
    }
    return file;
  }

  public static JsonNode json(String relative) {
    try {
      return JSON.readTree(path(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> lines(String relative) {
    try {
      return Files.readAllLines(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
