package io.mpcw.votes;

import io.mpcw.types.json.StrictJson;

/**
 * JSON codec of the vote messages carried in transport envelopes: field names as declared, nulls
 * written, instants as ISO-8601 text. Strict as {@link StrictJson} is: what it refuses is an {@link
 * IllegalArgumentException}.
 */
public final class VoteMessages {
  private static final StrictJson JSON =
      StrictJson.of(
          new StrictJson.Options(
              "vote messages",
              StrictJson.Naming.AS_DECLARED,
              StrictJson.Nulls.WRITTEN,
              StrictJson.Time.ISO_8601));

  private VoteMessages() {}

  public static byte[] encode(Object message) {
    return JSON.encode(message);
  }

  /**
   * Decodes and validates.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static <T> T decode(byte[] bytes, Class<T> type) {
    return JSON.decode(bytes, type);
  }
}
