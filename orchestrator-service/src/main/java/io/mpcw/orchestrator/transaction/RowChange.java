package io.mpcw.orchestrator.transaction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Columns of a payment's own row that a stage sets together with its state change. The UPDATE that
 * moves the state writes them: one row version and one statement where a separate UPDATE of the
 * same row in the same database transaction would write the wide row (and every index on it) twice.
 * Column names and expressions come from code, never from input; values are bound as parameters.
 */
public final class RowChange {
  /** What the state change writes itself: a stage may not set these. */
  private static final Set<String> OWNED_BY_THE_MOVE =
      Set.of(
          "id",
          "state",
          "state_reason",
          "version",
          "updated_at",
          "state_entered_at",
          "next_attempt_at",
          "stage_attempts",
          "stage_started_at",
          "lease_owner",
          "lease_expires_at");

  private final Map<String, String> assignments = new LinkedHashMap<>();
  private final Map<String, Object> values = new LinkedHashMap<>();
  private Object handedOver;
  private final List<String> alongside = new ArrayList<>();

  /** The move's own statement parameters: an alongside write may not bind these names. */
  private static final Set<String> MOVE_PARAMETERS =
      Set.of(
          "to",
          "entered",
          "reason",
          "onwardReason",
          "actor",
          "id",
          "version",
          "from",
          "lease",
          "next",
          "leaseSeconds",
          "firstLook");

  /**
   * What these columns hold, as the next stage reads them: handed over with the claim when the move
   * hands its new state's claim over in this process, so that stage does not read back what was
   * just written.
   */
  public RowChange handOver(Object written) {
    this.handedOver = Objects.requireNonNull(written, "written");
    return this;
  }

  public Optional<Object> handedOver() {
    return Optional.ofNullable(handedOver);
  }

  /**
   * A write to another table that commits with the move and happens only if the row moved: a
   * data-modifying CTE of the move's own statement, so one round trip instead of two. {@code sql}
   * reads the moved row as {@code moved} ({@code INSERT … SELECT … FROM moved}, or {@code UPDATE …
   * WHERE … AND EXISTS (SELECT 1 FROM moved)}). PostgreSQL runs all of a statement's parts on one
   * snapshot: the write sees the tables as earlier statements left them, never the move's own
   * writes or another alongside write's. Its parameters are bound by name ({@code :name}), and must
   * be unique within the move.
   */
  public RowChange alongside(String sql, Map<String, ?> parameters) {
    if (!sql.contains("moved")) {
      throw new IllegalArgumentException("an alongside write reads moved: " + sql);
    }
    for (var parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      if (MOVE_PARAMETERS.contains(name) || name.startsWith("row_") || values.containsKey(name)) {
        throw new IllegalArgumentException("parameter :" + name + " is bound already");
      }
      values.put(name, parameter.getValue());
    }
    alongside.add(sql);
    return this;
  }

  /**
   * The alongside writes as CTEs to append after the move's own, each preceded by a comma (empty
   * when there are none).
   */
  String alongsideSql() {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < alongside.size(); i++) {
      sql.append(", alongside_").append(i).append(" AS (").append(alongside.get(i)).append(')');
    }
    return sql.toString();
  }

  /** Sets {@code column} to {@code value}. */
  public RowChange set(String column, Object value) {
    return assign(column, ":" + parameter(column), value);
  }

  /** Sets a {@code jsonb} column from its JSON text. */
  public RowChange setJson(String column, String json) {
    return assign(column, "CAST(:" + parameter(column) + " AS jsonb)", json);
  }

  /**
   * Sets {@code column} to a fixed SQL expression over the row, e.g. {@code coalesce(broadcast_at,
   * now())}; the row's table is {@code transactions}.
   */
  public RowChange setTo(String column, String expression) {
    check(column);
    assignments.put(column, expression);
    return this;
  }

  public boolean isEmpty() {
    return assignments.isEmpty() && alongside.isEmpty();
  }

  /** The assignments as SQL, each preceded by a comma (empty when there are none). */
  String sql() {
    StringBuilder sql = new StringBuilder();
    assignments.forEach(
        (column, expression) -> sql.append(", ").append(column).append(" = ").append(expression));
    return sql.toString();
  }

  /**
   * The columns the assignments set, each preceded by a comma, for a RETURNING clause (empty when
   * there are none).
   */
  String assignedColumns() {
    StringBuilder sql = new StringBuilder();
    assignments.keySet().forEach(column -> sql.append(", ").append(column));
    return sql.toString();
  }

  /** The values the assignments and the alongside writes bind, by parameter name. */
  Map<String, Object> values() {
    return values;
  }

  private RowChange assign(String column, String expression, Object value) {
    check(column);
    assignments.put(column, expression);
    values.put(parameter(column), value);
    return this;
  }

  private static String parameter(String column) {
    return "row_" + column;
  }

  private void check(String column) {
    if (!column.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a column name: " + column);
    }
    if (OWNED_BY_THE_MOVE.contains(column)) {
      throw new IllegalArgumentException(column + " is written by the state change itself");
    }
    if (assignments.containsKey(column)) {
      throw new IllegalArgumentException(column + " is set twice");
    }
  }
}
