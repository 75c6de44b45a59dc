package io.mpcw.crypto.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The public test vectors copied into this module's test resources ({@code vectors/}, see its
 * README for each file's source, commit and licence). Read from the classpath, so the tests need
 * nothing outside the repository.
 */
public final class TestVectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestVectors() {}

  /** The file's bytes, exactly as committed. */
  public static byte[] bytes(String relative) {
    String resource = "vectors/" + relative;
    try (InputStream in = TestVectors.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test vector missing from the classpath: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String relative) {
    try {
      return JSON.readTree(bytes(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> lines(String relative) {
    return new String(bytes(relative), StandardCharsets.UTF_8).lines().toList();
  }
}
