package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.launcher.cluster.OrchestratorApi;
import io.mpcw.launcher.cluster.PaymentHistory;
import io.mpcw.launcher.cluster.Processes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The wait after a bench's send window for its payments to reach the state it measures. */
final class PaymentDrain {
  private static final Duration POLL_EVERY = Duration.ofSeconds(1);
  private static final Set<String> SIGNED_OR_LATER = Set.of("signed", "broadcasting", "confirmed");

  private final OrchestratorApi api;

  PaymentDrain(OrchestratorApi api) {
    this.api = api;
  }

  /**
   * Waits until every accepted payment has reached {@code until} (or a final state), reading the
   * newest-first list once per second: a few requests per poll, not one per payment.
   */
  Map<String, String> await(Set<String> ids, Instant since, String until, Duration wait) {
    Map<String, String> states = new HashMap<>();
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      states.putAll(listStates(ids, since));
      long open = ids.stream().filter(id -> !reached(states.get(id), until)).count();
      if (open == 0 || !Instant.now().isBefore(deadline)) {
        if (open > 0) {
          System.out.printf("%d payments had not reached %s when the wait ended%n", open, until);
        }
        return states;
      }
      Processes.sleep(POLL_EVERY.toMillis());
    }
  }

  private Map<String, String> listStates(Set<String> ids, Instant since) {
    Map<String, String> states = new HashMap<>();
    String cursor = null;
    Instant oldestWanted = since.minusSeconds(5);
    do {
      String path =
          "/api/v1/transactions?limit=200"
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      Optional<JsonNode> page = api.get(path);
      if (page.isEmpty()) {
        return states;
      }
      Instant oldestOnPage = Instant.MAX;
      for (JsonNode tx : page.get().path("transactions")) {
        String id = tx.path("id").asText();
        if (ids.contains(id)) {
          states.put(id, tx.path("state").asText());
        }
        oldestOnPage = Instant.parse(tx.path("created_at").asText());
      }
      JsonNode next = page.get().path("next_cursor");
      cursor =
          next.isTextual() && oldestOnPage.isAfter(oldestWanted) && states.size() < ids.size()
              ? next.asText()
              : null;
    } while (cursor != null);
    return states;
  }

  static boolean reached(String state, String until) {
    if (state == null) {
      return false;
    }
    return PaymentHistory.isFinalState(state)
        || (until.equals("signed") && SIGNED_OR_LATER.contains(state));
  }
}
