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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The wait after a bench's send window for its payments to reach the state it measures. */
final class PaymentDrain {
  private static final Duration POLL_EVERY = Duration.ofSeconds(1);
  private static final Set<String> SIGNED_OR_LATER = Set.of("signed", "broadcasting", "confirmed");

  /** The states before signed, and before confirmed, earliest first. */
  private static final List<String> BEFORE_SIGNED =
      List.of("pending", "voting", "approved", "signing");

  private static final List<String> BEFORE_CONFIRMED =
      List.of("pending", "voting", "approved", "signing", "signed", "broadcasting");

  private final OrchestratorApi api;

  PaymentDrain(OrchestratorApi api) {
    this.api = api;
  }

  /**
   * Waits until every accepted payment has reached {@code until} (or a final state). Once per
   * second it lists only the payments still short of {@code until} (its states, earliest first, so
   * a payment moving on while they are read is found in a later one); the full newest-first list,
   * which grows with every payment of the run, is read only when those are empty or the wait is
   * over. The driver's reads stay small beside the work it measures.
   */
  Map<String, String> await(Set<String> ids, Instant since, String until, Duration wait) {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      boolean over = !Instant.now().isBefore(deadline);
      Optional<Set<String>> open = stillShortOf(until);
      if (over || open.map(o -> o.stream().noneMatch(ids::contains)).orElse(false)) {
        Map<String, String> states = listStates(ids, since);
        long notThere = ids.stream().filter(id -> !reached(states.get(id), until)).count();
        if (notThere == 0 || over) {
          if (notThere > 0) {
            System.out.printf(
                "%d payments had not reached %s when the wait ended%n", notThere, until);
          }
          return states;
        }
      }
      Processes.sleep(POLL_EVERY.toMillis());
    }
  }

  /** The ids of every payment in a state before {@code until}; empty if a read failed. */
  private Optional<Set<String>> stillShortOf(String until) {
    Set<String> open = new HashSet<>();
    for (String state : until.equals("signed") ? BEFORE_SIGNED : BEFORE_CONFIRMED) {
      String cursor = null;
      do {
        Optional<JsonNode> page =
            api.get(
                "/api/v1/transactions?limit=200&state="
                    + state
                    + (cursor == null
                        ? ""
                        : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
        if (page.isEmpty()) {
          return Optional.empty();
        }
        page.get().path("transactions").forEach(tx -> open.add(tx.path("id").asText()));
        JsonNode next = page.get().path("next_cursor");
        cursor = next.isTextual() ? next.asText() : null;
      } while (cursor != null);
    }
    return Optional.of(open);
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
