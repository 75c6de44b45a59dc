package io.mpcw.systemtest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository the tests run in (system property {@code mpcw.repo}, else the module's parent).
 */
final class Repo {
  static final ObjectMapper JSON = new ObjectMapper();

  private Repo() {}

  static Path root() {
    Path root = Path.of(System.getProperty("mpcw.repo", "..")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("docker/docker-compose.yml"))) {
      throw new IllegalStateException(root + " has no docker/docker-compose.yml");
    }
    return root;
  }

  static Path docker() {
    return root().resolve("docker");
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A YAML document as nested maps and lists; anchors, aliases and merge keys resolved. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(500);
    options.setAllowDuplicateKeys(false);
    return (Map<String, Object>) new Yaml(options).load(read(file));
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }
}
