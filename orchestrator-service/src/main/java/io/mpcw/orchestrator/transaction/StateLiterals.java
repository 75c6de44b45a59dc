package io.mpcw.orchestrator.transaction;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * States written into SQL as literals rather than bound: a plan that knows the state may use a
 * partial index whose predicate names states, so PostgreSQL can cache it instead of planning every
 * call. Only the wire names of the code's own state enums go in, and only as plain words.
 */
public final class StateLiterals {
  private static final Pattern WORD = Pattern.compile("[a-z_]+");

  private StateLiterals() {}

  /** {@code 'name'}. */
  public static String of(String wireName) {
    if (!WORD.matcher(wireName).matches()) {
      throw new IllegalArgumentException("not a state's wire name: " + wireName);
    }
    return "'" + wireName + "'";
  }

  /** {@code 'a', 'b', …}, for {@code IN (…)}. */
  public static String list(String... wireNames) {
    return Arrays.stream(wireNames).map(StateLiterals::of).collect(Collectors.joining(", "));
  }
}
