package io.mpcw.orchestrator.transaction;

import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The only way a transaction changes state: checks the move against the transition table, updates
 * the row only if nobody changed it since it was read (version, and the caller's lease when it has
 * one), and appends the history row in the same database transaction.
 */
@Component
public class StateTransitions {
  private final JdbcClient jdbc;
  private final OrchestrationMetrics metrics;
  private final WorkSignals signals;

  public StateTransitions(JdbcClient jdbc, OrchestrationMetrics metrics, WorkSignals signals) {
    this.jdbc = jdbc;
    this.metrics = metrics;
    this.signals = signals;
  }

  /**
   * Applies {@code tx.state() → to}.
   *
   * @param lease the claim token the caller holds, or empty for API actions (cancel)
   * @return false when the row changed meanwhile (or the lease was lost): nothing was written
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean apply(
      TransactionRecord tx,
      TransactionState to,
      String reason,
      String actor,
      Optional<String> lease) {
    return apply(tx, to, reason, actor, lease, Optional.empty(), Duration.ZERO, new RowChange())
        .isPresent();
  }

  /**
   * The next stage's claim, taken by the same UPDATE that enters its state, so the stage starts at
   * once without claiming the row again.
   *
   * @param token the new claim's lease token
   * @param lease how long the claim holds before another engine may take the work over
   */
  public record NextClaim(String token, Duration lease) {}

  /**
   * Applies {@code tx.state() → to}, and with {@code next} takes the new state's first claim in the
   * same UPDATE (lease, {@code stage_attempts = 1}, {@code stage_started_at}: exactly what a claim
   * would write). A move with a claim wakes no engine: the claim's holder works on it, and once its
   * lease expires the sweep and the polls find it as any claim. With a positive {@code firstLook}
   * the new state's stage is due only that long after the move: for a state whose work an event
   * starts (a block that includes the transaction), not the move itself; such a move takes no claim
   * and wakes no engine, and the event, or the polls once the time is up, find it.
   *
   * @param lease the claim token the caller holds, or empty for API actions (cancel)
   * @param next the claim to take in the new state; never for a terminal one, nor with a firstLook
   * @param row the stage's own columns of the row, set by the same UPDATE
   * @return the row as moved (its {@code state_entered_at} is the database clock at the move: when
   *     the state was entered, and claimed if it was), or empty when it changed meanwhile (or the
   *     lease was lost): nothing was written
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Optional<TransactionRecord> apply(
      TransactionRecord tx,
      TransactionState to,
      String reason,
      String actor,
      Optional<String> lease,
      Optional<NextClaim> next,
      Duration firstLook,
      RowChange row) {
    return apply(tx, to, reason, actor, lease, next, firstLook, row, Optional.empty());
  }

  /**
   * A second move made by the same statement, out of the state the first one enters: the
   * transaction passes through that state (its history row is written, with the same time) and ends
   * in {@code to}, which may not be terminal.
   */
  public record Onward(TransactionState to, String reason) {}

  /**
   * Applies {@code tx.state() → to}, and with {@code onward} {@code to → onward.to()} in the same
   * statement: the row is written once, in its final state, with one history row per move. {@code
   * next}, {@code firstLook} and {@code row} are about the final state, as for a single move.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Optional<TransactionRecord> apply(
      TransactionRecord tx,
      TransactionState to,
      String reason,
      String actor,
      Optional<String> lease,
      Optional<NextClaim> next,
      Duration firstLook,
      RowChange row,
      Optional<Onward> onward) {
    TransactionState from = tx.state();
    from.checkTransitionTo(to);
    // the state the row ends in: to, or where the onward move takes it from there
    TransactionState entered = onward.map(Onward::to).orElse(to);
    if (onward.isPresent()) {
      if (entered.isTerminal()) {
        throw new IllegalArgumentException(
            "no onward move into terminal state " + entered.wireName());
      }
      to.checkTransitionTo(entered);
    }
    if (next.isPresent() && entered.isTerminal()) {
      throw new IllegalArgumentException("no claim in terminal state " + entered.wireName());
    }
    boolean later = firstLook.compareTo(Duration.ZERO) > 0;
    if (later && next.isPresent()) {
      throw new IllegalArgumentException("a claim is for work due now");
    }
    String claim =
        next.isPresent()
            ? " stage_attempts = 1, stage_started_at = now(), lease_owner = :next,"
                + " lease_expires_at = now() + make_interval(secs => :leaseSeconds)"
            : " stage_attempts = 0, stage_started_at = NULL, lease_owner = NULL,"
                + " lease_expires_at = NULL";
    // the history row is written by the same statement, only if the row moved (one round trip)
    String sql =
        "WITH moved AS (UPDATE transactions SET state = :entered, state_reason = "
            + (onward.isPresent() ? ":onwardReason," : ":reason,")
            + " version = version + 1,"
            + " updated_at = now(), state_entered_at = now(),"
            + (later
                ? " next_attempt_at = now() + make_interval(secs => :firstLook),"
                : " next_attempt_at = now(),")
            + claim
            + row.sql()
            + " WHERE id = :id AND version = :version AND state = :from"
            + (lease.isPresent() ? " AND lease_owner = :lease" : "")
            + " RETURNING "
            + TransactionRepository.COLUMNS
            + "), logged AS (INSERT INTO transaction_history"
            + " (tx_id, from_state, to_state, at, reason, actor)"
            + (onward.isPresent()
                ? " SELECT id, :from, :to, now(), :reason, :actor FROM moved UNION ALL"
                    + " SELECT id, :to, :entered, now(), :onwardReason, :actor FROM moved)"
                : " SELECT id, :from, :to, now(), :reason, :actor FROM moved)")
            + row.alongsideSql()
            + " SELECT * FROM moved";
    var statement =
        jdbc.sql(sql)
            .param("to", to.wireName())
            .param("entered", entered.wireName())
            .param("reason", reason)
            .param("actor", actor)
            .param("id", tx.id())
            .param("version", tx.version())
            .param("from", from.wireName());
    if (lease.isPresent()) {
      statement = statement.param("lease", lease.get());
    }
    if (onward.isPresent()) {
      statement = statement.param("onwardReason", onward.get().reason());
    }
    if (next.isPresent()) {
      statement =
          statement
              .param("next", next.get().token())
              .param("leaseSeconds", next.get().lease().toMillis() / 1000.0);
    }
    if (later) {
      statement = statement.param("firstLook", firstLook.toMillis() / 1000.0);
    }
    for (var value : row.values().entrySet()) {
      statement = statement.param(value.getKey(), value.getValue());
    }
    Optional<TransactionRecord> moved = statement.query(TransactionRepository::map).optional();
    if (moved.isEmpty()) {
      return Optional.empty();
    }
    if (entered == TransactionState.FAILED || entered == TransactionState.CANCELLED) {
      // a payment that ends before its transaction reached the chain gives its coins back; once
      // broadcast they stay held, since the transaction may still confirm
      jdbc.sql(
              "UPDATE utxos SET reserved_by = NULL WHERE reserved_by = ? AND NOT EXISTS (SELECT 1"
                  + " FROM transactions t WHERE t.id = ? AND t.broadcast_at IS NOT NULL)")
          .params(tx.id(), tx.id())
          .update();
      // and its change never comes to be
      jdbc.sql(
              "DELETE FROM utxos WHERE created_by = ? AND height IS NULL AND reserved_by IS NULL"
                  + " AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = ?"
                  + " AND t.broadcast_at IS NOT NULL)")
          .params(tx.id(), tx.id())
          .update();
    }
    Duration inStage = Duration.between(tx.stateEnteredAt(), moved.get().stateEnteredAt());
    afterCommit(
        () -> {
          metrics.transition(from, to, inStage);
          if (onward.isPresent()) {
            metrics.transition(to, entered, Duration.ZERO);
          }
          if (next.isEmpty() && !later) {
            // the next stage starts now, not at its next poll
            signals.workIn(entered);
          }
        });
    return moved;
  }

  /**
   * Which rows a bulk move takes and what it says of each: {@code condition} (a boolean) and {@code
   * reason} (text, the history row's and the row's new reason) are SQL over the row's columns as
   * they were before the move, written in code, never from input, with their values bound by name
   * from {@code parameters}.
   */
  public record Selection(String condition, String reason, Map<String, ?> parameters) {
    public Selection {
      parameters = Map.copyOf(parameters);
    }
  }

  /**
   * Moves {@code from → to}, in one statement, every row in {@code from} that {@code selection}
   * matches and no engine holds, at most {@code limit}, longest in {@code from} first: one history
   * row each, {@code row}'s columns (its expressions read the row before the move) and its
   * alongside writes, which read {@code moved} as every row moved. A row a live claim holds is left
   * to its holder (who moves it itself: its stage's move would otherwise find the version changed
   * under it); a lease that ran out is nobody's. A row another database transaction has locked is
   * skipped, not waited for. No claim is taken in {@code to}; its stage is woken at commit.
   *
   * @return the rows as moved, each with the column {@code row} set, as {@code mapper} reads them
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public <T> List<T> applyToAll(
      TransactionState from,
      TransactionState to,
      Selection selection,
      String actor,
      RowChange row,
      int limit,
      RowMapper<T> mapper) {
    from.checkTransitionTo(to);
    if (to == TransactionState.FAILED || to == TransactionState.CANCELLED) {
      // their coins are given back per payment (apply); not a bulk move's business
      throw new IllegalArgumentException("no bulk move into " + to.wireName());
    }
    for (String name : selection.parameters().keySet()) {
      if (BULK_PARAMETERS.contains(name) || row.values().containsKey(name)) {
        throw new IllegalArgumentException("parameter :" + name + " is bound already");
      }
    }
    String sql =
        "WITH due AS (SELECT id AS due_id, state_entered_at AS entered_before FROM transactions"
            + " WHERE state = "
            + StateLiterals.of(from.wireName())
            + " AND (lease_expires_at IS NULL OR lease_expires_at < now()) AND ("
            + selection.condition()
            + ") ORDER BY state_entered_at LIMIT :limit FOR UPDATE SKIP LOCKED),"
            + " moved AS (UPDATE transactions SET state = :to, state_reason = ("
            + selection.reason()
            + "), version = version + 1, updated_at = now(), state_entered_at = now(),"
            + " next_attempt_at = now(), stage_attempts = 0, stage_started_at = NULL,"
            + " lease_owner = NULL, lease_expires_at = NULL"
            + row.sql()
            + " FROM due WHERE id = due.due_id RETURNING "
            + TransactionRepository.COLUMNS
            + row.assignedColumns()
            + ", due.entered_before), logged AS (INSERT INTO transaction_history"
            + " (tx_id, from_state, to_state, at, reason, actor)"
            + " SELECT id, :from, :to, now(), state_reason, :actor FROM moved)"
            + row.alongsideSql()
            + " SELECT * FROM moved";
    var statement =
        jdbc.sql(sql)
            .param("from", from.wireName())
            .param("to", to.wireName())
            .param("actor", actor)
            .param("limit", limit);
    for (var value : selection.parameters().entrySet()) {
      statement = statement.param(value.getKey(), value.getValue());
    }
    for (var value : row.values().entrySet()) {
      statement = statement.param(value.getKey(), value.getValue());
    }
    List<Duration> inStage = new ArrayList<>();
    List<T> moved =
        statement
            .query(
                (rs, n) -> {
                  inStage.add(
                      Duration.between(
                          rs.getTimestamp("entered_before").toInstant(),
                          rs.getTimestamp("state_entered_at").toInstant()));
                  return mapper.mapRow(rs, n);
                })
            .list();
    if (!moved.isEmpty()) {
      afterCommit(
          () -> {
            inStage.forEach(time -> metrics.transition(from, to, time));
            signals.workIn(to);
          });
    }
    return moved;
  }

  /** A bulk move's own statement parameters: a selection may not bind these names. */
  private static final Set<String> BULK_PARAMETERS = Set.of("from", "to", "actor", "limit");

  /**
   * A new transaction was inserted (with its first history row, {@link
   * TransactionRepository#insertPending}): once it commits, it is counted and, unless it was stored
   * as its first stage's claim (whose holder starts the stage itself), that stage woken.
   */
  public void created(TransactionRecord tx, boolean claimed) {
    afterCommit(
        () -> {
          metrics.created();
          if (!claimed) {
            signals.workIn(tx.state());
          }
        });
  }

  private static void afterCommit(Runnable action) {
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            action.run();
          }
        });
  }
}
