package io.mpcw.orchestrator.transaction;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Keyset position in the newest-first listing: the last row's (created_at, id), opaque to clients.
 */
public record PageCursor(Instant createdAt, UUID id) {

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  public static Optional<PageCursor> decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      int colon = raw.indexOf(':');
      if (colon < 1) {
        return Optional.empty();
      }
      long micros = Long.parseLong(raw.substring(0, colon));
      UUID id = UUID.fromString(raw.substring(colon + 1));
      return Optional.of(new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
