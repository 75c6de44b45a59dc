package io.mpcw.orchestrator.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The plan PostgreSQL would cache for a statement (prepared, and explained with {@code
 * plan_cache_mode = force_generic_plan}: planned without its parameters' values), with sequential
 * scans off so that a near-empty test table still shows which index the plan can use.
 */
public final class GenericPlans {
  /** A parameter in a plan's text ({@code $1}): what a plan made with the values could use. */
  public static final Pattern PARAMETER = Pattern.compile("\\$\\d");

  private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([A-Za-z]\\w*)");

  private GenericPlans() {}

  public static String of(DataSource dataSource, String namedSql) {
    Map<String, Integer> parameters = new LinkedHashMap<>();
    String sql = positional(namedSql, parameters);
    String nulls = String.join(", ", Collections.nCopies(parameters.size(), "NULL"));
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = off");
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE generic_plan_probe AS " + sql);
      try {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery(
                "EXPLAIN EXECUTE generic_plan_probe"
                    + (nulls.isEmpty() ? "" : "(" + nulls + ")"))) {
          while (rs.next()) {
            lines.add(rs.getString(1));
          }
        }
        return String.join("\n", lines);
      } finally {
        s.execute("DEALLOCATE generic_plan_probe");
        s.execute("RESET plan_cache_mode");
        s.execute("RESET enable_seqscan");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code :name} parameters (Spring's) as {@code $1, $2, …}, a name used twice once; or JDBC's
   * {@code ?} in their order.
   */
  static String positional(String namedSql, Map<String, Integer> numbers) {
    if (namedSql.contains("?")) {
      StringBuilder out = new StringBuilder();
      for (char c : namedSql.toCharArray()) {
        if (c == '?') {
          numbers.put("?" + numbers.size(), numbers.size() + 1);
          out.append('$').append(numbers.size());
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
    Matcher m = NAMED.matcher(namedSql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int n = numbers.computeIfAbsent(m.group(1), k -> numbers.size() + 1);
      m.appendReplacement(out, "\\$" + n);
    }
    m.appendTail(out);
    return out.toString();
  }
}
