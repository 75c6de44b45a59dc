package io.mpcw.orchestrator.voting;

import io.mpcw.votes.Evidence;
import io.mpcw.votes.VoteRecord;
import java.sql.Timestamp;
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

  /** Stores a node's answer unless one is stored (an etcd-only row is replaced by it). */
  void answered(VoteRecord vote) {
    jdbc.sql(
            "INSERT INTO votes (tx_id, node_id, decision, reason, digest, signature, signed_at,"
                + " received_at, answered) VALUES (:tx, :node, :decision, :reason, :digest,"
                + " :signature, :signedAt, now(), true) ON CONFLICT (tx_id, node_id) DO UPDATE SET"
                + " decision = EXCLUDED.decision, reason = EXCLUDED.reason, digest = EXCLUDED.digest,"
                + " signature = EXCLUDED.signature, signed_at = EXCLUDED.signed_at,"
                + " received_at = EXCLUDED.received_at, answered = true WHERE NOT votes.answered")
        .params(params(vote))
        .update();
  }

  /** Records what etcd holds for a node that has not answered, so its evidence can be shown. */
  void recordedOnly(VoteRecord vote) {
    jdbc.sql(
            "INSERT INTO votes (tx_id, node_id, decision, reason, digest, signature, signed_at,"
                + " received_at, answered) VALUES (:tx, :node, :decision, :reason, :digest,"
                + " :signature, :signedAt, now(), false) ON CONFLICT (tx_id, node_id) DO NOTHING")
        .params(params(vote))
        .update();
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

  private static Map<String, Object> params(VoteRecord vote) {
    Map<String, Object> p = new HashMap<>();
    p.put("tx", vote.txId());
    p.put("node", vote.nodeId());
    p.put("decision", vote.decision().wireName());
    p.put("reason", vote.reason());
    p.put("digest", vote.digest());
    p.put("signature", vote.signatureBytes().orElse(new byte[0]));
    p.put("signedAt", Timestamp.from(vote.signedAt()));
    return p;
  }
}
