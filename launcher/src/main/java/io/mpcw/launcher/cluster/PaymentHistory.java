package io.mpcw.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a payment as the API returns it: whether it is final, and its time in each stage. */
public final class PaymentHistory {
  /** The states a payment passes through on its way to {@code confirmed}, in order. */
  public static final List<String> STAGES =
      List.of("pending", "voting", "approved", "signing", "signed", "broadcasting");

  private PaymentHistory() {}

  public static boolean isFinal(JsonNode tx) {
    return isFinalState(tx.path("state").asText());
  }

  public static boolean isFinalState(String wireName) {
    return TransactionState.fromWireName(wireName).map(TransactionState::isTerminal).orElse(false);
  }

  /** Whether the payment's history ever entered {@code state} (e.g. {@code approved}). */
  public static boolean passedThrough(JsonNode tx, String state) {
    for (JsonNode h : tx.path("history")) {
      if (h.path("to").asText().equals(state)) {
        return true;
      }
    }
    return false;
  }

  /** Seconds spent in each state that was left again, from consecutive history rows. */
  public static Map<String, Double> secondsPerState(JsonNode history) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < history.size(); i++) {
      String state = history.get(i).path("to").asText();
      Instant entered = Instant.parse(history.get(i).path("at").asText());
      Instant left = Instant.parse(history.get(i + 1).path("at").asText());
      out.merge(state, Duration.between(entered, left).toNanos() / 1e9, Double::sum);
    }
    return out;
  }
}
