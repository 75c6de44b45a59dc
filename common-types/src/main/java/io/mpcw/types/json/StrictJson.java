package io.mpcw.types.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Objects;

/**
 * The one strict JSON codec of the messages nodes and orchestrators exchange. What may differ
 * between message families is only their wire style ({@link Options}); what is refused is the same
 * for all: unknown fields, a field twice, anything after the document, a missing or null required
 * value, a fraction or a wrong type where an integer is expected, and an empty document. Every
 * refusal is an {@link IllegalArgumentException}, so a malformed message is refused before anything
 * acts on it.
 */
public final class StrictJson {

  /** How field names are written. */
  public enum Naming {
    /** As the record component is named ({@code nodeId}). */
    AS_DECLARED,
    /** {@code node_id}. */
    SNAKE_CASE
  }

  /** Whether a null field is written or left out. */
  public enum Nulls {
    WRITTEN,
    OMITTED
  }

  /** Whether {@code java.time} values are supported, as ISO-8601 text. */
  public enum Time {
    NONE,
    ISO_8601
  }

  /** A message family's wire style; {@code name} appears in the rare encoding failure. */
  public record Options(String name, Naming naming, Nulls nulls, Time time) {
    public Options {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(naming, "naming");
      Objects.requireNonNull(nulls, "nulls");
      Objects.requireNonNull(time, "time");
    }
  }

  private final Options options;
  private final ObjectMapper mapper;

  private StrictJson(Options options, ObjectMapper mapper) {
    this.options = options;
    this.mapper = mapper;
  }

  public static StrictJson of(Options options) {
    ObjectMapper mapper =
        new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    if (options.naming() == Naming.SNAKE_CASE) {
      mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }
    if (options.nulls() == Nulls.OMITTED) {
      mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
    if (options.time() == Time.ISO_8601) {
      mapper
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
    return new StrictJson(options, mapper);
  }

  public Options options() {
    return options;
  }

  public byte[] encode(Object message) {
    try {
      return mapper.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(options.name() + " always serialise", e);
    }
  }

  /**
   * Decodes and validates (record constructors check their invariants).
   *
   * @throws IllegalArgumentException naming the type and, from the innermost cause, what is wrong
   */
  public <T> T decode(byte[] bytes, Class<T> type) {
    try {
      T value = mapper.readValue(bytes, type);
      if (value == null) {
        throw new IllegalArgumentException("empty " + type.getSimpleName());
      }
      return value;
    } catch (IOException | RuntimeException e) {
      // a record constructor's refusal arrives wrapped by Jackson: its own message says it best
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      throw new IllegalArgumentException(
          "malformed " + type.getSimpleName() + ": " + cause.getMessage(), e);
    }
  }
}
