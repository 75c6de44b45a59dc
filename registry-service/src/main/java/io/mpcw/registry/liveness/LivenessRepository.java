package io.mpcw.registry.liveness;

import io.mpcw.types.cluster.NodeStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The queries of the liveness sweep. */
@Repository
class LivenessRepository {
  private final JdbcClient jdbc;

  LivenessRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Nodes that are not dead yet and whose last heartbeat is at or before {@code cutoff}, in one
   * fixed order so that concurrent sweeps lock rows in the same order and cannot deadlock.
   */
  List<SilentNode> silentSince(Instant cutoff) {
    return jdbc.sql(
            """
            SELECT node_id, status, last_heartbeat FROM nodes
            WHERE status <> :dead AND last_heartbeat <= :cutoff
            ORDER BY node_id
            """)
        .param("cutoff", utc(cutoff))
        .param("dead", NodeStatus.DEAD.wireName())
        .query(
            (rs, n) ->
                new SilentNode(
                    rs.getString("node_id"),
                    NodeStatus.fromWireName(rs.getString("status")).orElseThrow(),
                    rs.getObject("last_heartbeat", OffsetDateTime.class).toInstant()))
        .list();
  }

  /**
   * Moves the node to {@code to} only if it is still exactly as it was read: same status and no
   * heartbeat since. A replica that lost the race, or a node that just beat, matches no row.
   */
  boolean transition(SilentNode node, NodeStatus to, Instant now) {
    return jdbc.sql(
                """
                UPDATE nodes SET status = :to, status_changed_at = :now
                WHERE node_id = :id AND status = :from AND last_heartbeat = :seen
                """)
            .param("to", to.wireName())
            .param("now", utc(now))
            .param("id", node.nodeId())
            .param("from", node.status().wireName())
            .param("seen", utc(node.lastHeartbeat()))
            .update()
        == 1;
  }

  Map<NodeStatus, Long> countByStatus() {
    Map<NodeStatus, Long> counts = new EnumMap<>(NodeStatus.class);
    jdbc.sql("SELECT status, count(*) AS n FROM nodes GROUP BY status")
        .query((rs, n) -> Map.entry(rs.getString("status"), rs.getLong("n")))
        .list()
        .forEach(
            row ->
                NodeStatus.fromWireName(row.getKey())
                    .ifPresent(status -> counts.put(status, row.getValue())));
    return counts;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  record SilentNode(String nodeId, NodeStatus status, Instant lastHeartbeat) {}
}
