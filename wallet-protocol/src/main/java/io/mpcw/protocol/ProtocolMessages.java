package io.mpcw.protocol;

import io.mpcw.types.json.StrictJson;

/**
 * JSON codec of the DKG and signing messages carried in transport envelopes: snake_case fields,
 * nulls left out. Strict as {@link StrictJson} is, so a malformed request is refused with {@link
 * IllegalArgumentException} before any key material is touched.
 */
public final class ProtocolMessages {
  private static final StrictJson JSON =
      StrictJson.of(
          new StrictJson.Options(
              "protocol messages",
              StrictJson.Naming.SNAKE_CASE,
              StrictJson.Nulls.OMITTED,
              StrictJson.Time.NONE));

  private ProtocolMessages() {}

  public static byte[] encode(Object message) {
    return JSON.encode(message);
  }

  /**
   * Decodes and validates (record constructors check their invariants).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static <T> T decode(byte[] bytes, Class<T> type) {
    return JSON.decode(bytes, type);
  }
}
