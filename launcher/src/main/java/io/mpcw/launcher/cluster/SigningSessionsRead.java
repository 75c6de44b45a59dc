package io.mpcw.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalInt;

/**
 * How many signing sessions a payment took, from its record ({@code GET
 * /api/v1/transactions/{id}}). Today's sequential signing records {@code signing.attempts} (a
 * count); a coordinator that runs sessions concurrently may record {@code signing.sessions} (a
 * count or one entry per session). The first field present in {@link #FIELDS} wins, so the bench
 * follows the record without a change here; the report names the field it read.
 */
public final class SigningSessionsRead {

  /** Fields of {@code signing}, most specific first. */
  static final List<String> FIELDS = List.of("sessions", "attempts");

  private SigningSessionsRead() {}

  /** The count and the field it came from, or empty when the record has neither. */
  public record Count(int sessions, String field) {}

  public static java.util.Optional<Count> of(JsonNode tx) {
    JsonNode signing = tx.path("signing");
    for (String field : FIELDS) {
      OptionalInt n = count(signing.path(field));
      if (n.isPresent()) {
        return java.util.Optional.of(new Count(n.getAsInt(), "signing." + field));
      }
    }
    return java.util.Optional.empty();
  }

  private static OptionalInt count(JsonNode value) {
    if (value.isArray()) {
      return OptionalInt.of(value.size());
    }
    if (value.isIntegralNumber()) {
      return OptionalInt.of(value.asInt());
    }
    return OptionalInt.empty();
  }

  /** {@code mean 1.20, max 3 (signing.attempts, n=150)}; {@code n=0} when none was read. */
  public static String summary(List<Count> counts) {
    if (counts.isEmpty()) {
      return "n=0 (no signing.sessions or signing.attempts in the records)";
    }
    double mean = counts.stream().mapToInt(Count::sessions).average().orElse(0);
    int max = counts.stream().mapToInt(Count::sessions).max().orElse(0);
    String fields =
        String.join("+", counts.stream().map(Count::field).distinct().sorted().toList());
    return String.format("mean %.2f, max %d  (%s, n=%d)", mean, max, fields, counts.size());
  }
}
