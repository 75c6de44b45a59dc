package io.mpcw.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;

/**
 * JSON codec of the DKG and signing messages carried in transport envelopes (snake_case fields).
 * Strict: unknown fields, missing required values and wrong types are refused with {@link
 * IllegalArgumentException}, so a malformed request is refused before any key material is touched.
 */
public final class ProtocolMessages {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ProtocolMessages() {}

  public static byte[] encode(Object message) {
    try {
      return JSON.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("protocol messages always serialise", e);
    }
  }

  /**
   * Decodes and validates (record constructors check their invariants).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static <T> T decode(byte[] bytes, Class<T> type) {
    try {
      T value = JSON.readValue(bytes, type);
      if (value == null) {
        throw new IllegalArgumentException("empty " + type.getSimpleName());
      }
      return value;
    } catch (IOException | RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      throw new IllegalArgumentException(
          "malformed " + type.getSimpleName() + ": " + cause.getMessage(), e);
    }
  }
}
