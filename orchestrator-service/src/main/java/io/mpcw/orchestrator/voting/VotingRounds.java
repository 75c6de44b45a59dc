package io.mpcw.orchestrator.voting;

import io.mpcw.orchestrator.transaction.RowChange;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Voting rounds and the votes mirrored into PostgreSQL. */
@Repository
public class VotingRounds {
  private final JdbcClient jdbc;

  public VotingRounds(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Opens the round unless one exists (a re-run after a crash keeps the first); returns the round
   * opened, empty when one existed.
   */
  Optional<VotingRound> open(
      UUID txId, int threshold, int totalNodes, int f, List<String> nodes, Duration timeout) {
    return jdbc.sql(
            "INSERT INTO voting_rounds (tx_id, threshold, total_nodes, byzantine_tolerance, nodes,"
                + " opened_at, deadline_at) VALUES (:tx, :t, :n, :f, :nodes, now(),"
                + " now() + make_interval(secs => :timeout)) ON CONFLICT (tx_id) DO NOTHING"
                + " RETURNING "
                + COLUMNS)
        .param("tx", txId)
        .param("t", threshold)
        .param("n", totalNodes)
        .param("f", f)
        .param("nodes", nodes.toArray(String[]::new))
        .param("timeout", timeout.toMillis() / 1000.0)
        .query(VotingRounds::round)
        .optional();
  }

  /** Records the decision that stands, written by the move that applies it. */
  static void decided(RowChange row, String decision, String reason) {
    row.alongside(
        "UPDATE voting_rounds SET decision = :round_decision, decision_reason = :round_reason,"
            + " decided_at = now() WHERE tx_id = (SELECT id FROM moved) AND decision IS NULL",
        Map.of("round_decision", decision, "round_reason", reason));
  }

  private static final String COLUMNS =
      "tx_id, threshold, total_nodes, byzantine_tolerance, nodes, opened_at, deadline_at, decision";

  public Optional<VotingRound> find(UUID txId) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM voting_rounds WHERE tx_id = ?")
        .param(txId)
        .query(VotingRounds::round)
        .optional();
  }

  private static VotingRound round(ResultSet rs, int row) throws SQLException {
    return new VotingRound(
        rs.getObject("tx_id", UUID.class),
        rs.getInt("threshold"),
        rs.getInt("total_nodes"),
        rs.getInt("byzantine_tolerance"),
        strings(rs.getArray("nodes")),
        rs.getTimestamp("opened_at").toInstant(),
        rs.getTimestamp("deadline_at").toInstant(),
        Optional.ofNullable(rs.getString("decision")));
  }

  public List<Vote> votes(UUID txId) {
    return jdbc.sql(
            "SELECT node_id, decision, reason, digest, received_at, evidence FROM votes"
                + " WHERE tx_id = ? ORDER BY node_id")
        .param(txId)
        .query(
            (rs, n) ->
                new Vote(
                    rs.getString("node_id"),
                    rs.getString("decision"),
                    Optional.ofNullable(rs.getString("reason")),
                    rs.getString("digest"),
                    rs.getTimestamp("received_at").toInstant(),
                    Optional.ofNullable(rs.getString("evidence"))))
        .list();
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }
}
