package io.mpcw.orchestrator.voting;

import io.mpcw.votes.Evidence;
import io.mpcw.votes.VoteRecord;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Mirrors votes into PostgreSQL for the API and keeps each node's first answer, which later
 * attempts compare with etcd to detect equivocation.
 */
@Repository
class VoteMirror {
  private final JdbcClient jdbc;

  VoteMirror(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores the nodes' answers, each unless that node's answer is stored (an etcd-only row is
   * replaced by it), in one statement.
   */
  void answered(List<VoteRecord> votes) {
    insert(
        votes,
        true,
        " ON CONFLICT (tx_id, node_id) DO UPDATE SET decision = EXCLUDED.decision,"
            + " reason = EXCLUDED.reason, digest = EXCLUDED.digest,"
            + " signature = EXCLUDED.signature, signed_at = EXCLUDED.signed_at,"
            + " received_at = EXCLUDED.received_at, answered = true WHERE NOT votes.answered");
  }

  /** Records what etcd holds for nodes that have not answered, so their evidence can be shown. */
  void recordedOnly(List<VoteRecord> votes) {
    insert(votes, false, " ON CONFLICT (tx_id, node_id) DO NOTHING");
  }

  private void insert(List<VoteRecord> votes, boolean answered, String onConflict) {
    if (votes.isEmpty()) {
      return;
    }
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO votes (tx_id, node_id, decision, reason, digest, signature, signed_at,"
                + " received_at, answered) VALUES ");
    List<Object> params = new ArrayList<>();
    for (int i = 0; i < votes.size(); i++) {
      VoteRecord vote = votes.get(i);
      sql.append(i == 0 ? "" : ", ")
          .append("(?, ?, ?, ?, ?, ?, ?, now(), ")
          .append(answered)
          .append(')');
      params.add(vote.txId());
      params.add(vote.nodeId());
      params.add(vote.decision().wireName());
      params.add(vote.reason());
      params.add(vote.digest());
      params.add(vote.signatureBytes().orElse(new byte[0]));
      params.add(Timestamp.from(vote.signedAt()));
    }
    jdbc.sql(sql.append(onConflict).toString()).params(params).update();
  }

  void evidence(UUID txId, Map<String, List<Evidence>> evidence) {
    evidence.forEach(
        (node, items) ->
            jdbc.sql("UPDATE votes SET evidence = ? WHERE tx_id = ? AND node_id = ?")
                .params(
                    items.stream()
                        .map(e -> e.kind().name().toLowerCase() + ": " + e.detail())
                        .collect(Collectors.joining("; ")),
                    txId,
                    node)
                .update());
  }

  /** The nodes' own answers, by node. */
  Map<String, VoteRecord> answers(UUID txId) {
    Map<String, VoteRecord> answers = new HashMap<>();
    jdbc.sql(
            "SELECT node_id, decision, reason, digest, signature, signed_at FROM votes"
                + " WHERE tx_id = ? AND answered")
        .param(txId)
        .query(
            rs -> {
              VoteRecord vote =
                  VoteRecord.unsigned(
                          txId,
                          rs.getString("node_id"),
                          io.mpcw.votes.Decision.parse(rs.getString("decision")),
                          rs.getString("reason"),
                          rs.getString("digest"),
                          rs.getTimestamp("signed_at").toInstant())
                      .withSignature(rs.getBytes("signature"));
              answers.put(vote.nodeId(), vote);
            });
    return answers;
  }
}
