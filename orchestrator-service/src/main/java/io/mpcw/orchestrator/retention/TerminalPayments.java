package io.mpcw.orchestrator.retention;

import io.mpcw.types.transaction.TransactionState;
import io.mpcw.votes.retention.EtcdRecordPruner.KeyFilter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Lets go only the records of payments that are terminal in PostgreSQL. A decision key is what
 * keeps a late vote out of a payment's tally, so a payment still in flight keeps it whatever its
 * age; a key whose payment is unknown here, or whose name is not {@code {tx_id}[/...]}, is kept
 * too.
 */
final class TerminalPayments implements KeyFilter {
  private static final List<String> TERMINAL =
      Arrays.stream(TransactionState.values())
          .filter(TransactionState::isTerminal)
          .map(TransactionState::wireName)
          .toList();

  private final JdbcClient jdbc;
  private final String prefix;

  /**
   * @param prefix the records' prefix: each key is {@code prefix + tx_id}, optionally followed by
   *     {@code /...}
   */
  TerminalPayments(JdbcClient jdbc, String prefix) {
    this.jdbc = jdbc;
    this.prefix = prefix;
  }

  @Override
  public Set<String> deletable(List<String> keys) {
    Map<UUID, List<String>> byPayment = new LinkedHashMap<>();
    for (String key : keys) {
      paymentOf(key)
          .ifPresent(
              tx -> byPayment.computeIfAbsent(tx, t -> new java.util.ArrayList<>()).add(key));
    }
    if (byPayment.isEmpty()) {
      return Set.of();
    }
    List<UUID> terminal =
        jdbc.sql("SELECT id FROM transactions WHERE id IN (:ids) AND state IN (:terminal)")
            .param("ids", List.copyOf(byPayment.keySet()))
            .param("terminal", TERMINAL)
            .query(UUID.class)
            .list();
    Set<String> deletable = new HashSet<>();
    terminal.forEach(tx -> deletable.addAll(byPayment.get(tx)));
    return deletable;
  }

  private Optional<UUID> paymentOf(String key) {
    if (!key.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = key.substring(prefix.length());
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    try {
      UUID tx = UUID.fromString(id);
      // UUID.fromString accepts short forms ("1-1-1-1-1"): only the canonical name is a payment's
      return tx.toString().equals(id) ? Optional.of(tx) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
