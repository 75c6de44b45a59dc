package io.mpcw.votes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * JSON codec of the vote messages carried in transport envelopes. Strict: unknown fields, missing
 * required values and wrong types are refused with {@link IllegalArgumentException}.
 */
public final class VoteMessages {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private VoteMessages() {}

  public static byte[] encode(Object message) {
    try {
      return JSON.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("vote messages always serialise", e);
    }
  }

  public static <T> T decode(byte[] bytes, Class<T> type) {
    try {
      T value = JSON.readValue(bytes, type);
      if (value == null) {
        throw new IllegalArgumentException("empty " + type.getSimpleName());
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "malformed " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
