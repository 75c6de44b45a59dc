package io.mpcw.registry.node;

import io.mpcw.types.cluster.Heartbeat;
import io.mpcw.types.cluster.NodeRegistration;
import io.mpcw.types.cluster.NodeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Node rows. Every write is a single statement, so replicas sharing the database need no locks:
 * registration is an upsert, a heartbeat one conditional update.
 */
@Repository
class NodeRepository {
  private static final String COLUMNS =
      "node_id, quic_address, management_url, version, cpu_load, in_flight_sessions,"
          + " registered_at, last_heartbeat, status, status_changed_at, certificate";

  private final JdbcClient jdbc;

  NodeRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts or refreshes the node as active; tells which of the two happened. */
  Registered upsert(NodeRegistration registration, String certificatePem, Instant now) {
    return jdbc.sql(
            """
            INSERT INTO nodes (node_id, quic_address, management_url, version,
                               registered_at, last_heartbeat, status, status_changed_at,
                               certificate)
            VALUES (:id, :quic, :url, :version, :now, :now, :active, :now, :cert)
            ON CONFLICT (node_id) DO UPDATE SET
                certificate = EXCLUDED.certificate,
                quic_address = EXCLUDED.quic_address,
                management_url = EXCLUDED.management_url,
                version = EXCLUDED.version,
                last_heartbeat = EXCLUDED.last_heartbeat,
                status_changed_at = CASE WHEN nodes.status <> :active
                                         THEN EXCLUDED.status_changed_at
                                         ELSE nodes.status_changed_at END,
                status = :active
            RETURNING (xmax = 0) AS inserted, %s
            """
                .formatted(COLUMNS))
        .param("id", registration.nodeId())
        .param("quic", registration.quicAddress())
        .param("url", registration.managementUrl())
        .param("version", registration.version())
        .param("cert", certificatePem)
        .param("now", utc(now))
        .param("active", NodeStatus.ACTIVE.wireName())
        .query((rs, n) -> new Registered(map(rs), rs.getBoolean("inserted")))
        .single();
  }

  /** Records a heartbeat and makes the node active again; empty when the node is unknown. */
  Optional<NodeRecord> heartbeat(String nodeId, Heartbeat beat, Instant now) {
    return jdbc.sql(
            """
            UPDATE nodes SET
                last_heartbeat = :now,
                cpu_load = :cpu,
                in_flight_sessions = :sessions,
                quic_address = COALESCE(CAST(:quic AS text), quic_address),
                status_changed_at = CASE WHEN status <> :active THEN :now
                                         ELSE status_changed_at END,
                status = :active
            WHERE node_id = :id
            RETURNING %s
            """
                .formatted(COLUMNS))
        .param("id", nodeId)
        .param("now", utc(now))
        .param("cpu", beat.cpuLoad())
        .param("sessions", beat.inFlightSessions())
        .param("quic", beat.quicAddress())
        .param("active", NodeStatus.ACTIVE.wireName())
        .query((rs, n) -> map(rs))
        .optional();
  }

  boolean delete(String nodeId) {
    return jdbc.sql("DELETE FROM nodes WHERE node_id = :id").param("id", nodeId).update() > 0;
  }

  List<NodeRecord> findAll(Optional<NodeStatus> status) {
    String where = status.isPresent() ? " WHERE status = :status" : "";
    JdbcClient.StatementSpec statement =
        jdbc.sql("SELECT " + COLUMNS + " FROM nodes" + where + " ORDER BY node_id");
    if (status.isPresent()) {
      statement = statement.param("status", status.get().wireName());
    }
    return statement.query((rs, n) -> map(rs)).list();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static NodeRecord map(ResultSet rs) throws SQLException {
    return new NodeRecord(
        rs.getString("node_id"),
        rs.getString("quic_address"),
        rs.getString("management_url"),
        rs.getString("version"),
        rs.getDouble("cpu_load"),
        rs.getInt("in_flight_sessions"),
        rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
        rs.getObject("last_heartbeat", OffsetDateTime.class).toInstant(),
        NodeStatus.fromWireName(rs.getString("status")).orElseThrow(),
        rs.getObject("status_changed_at", OffsetDateTime.class).toInstant(),
        rs.getString("certificate"));
  }

  /** The node after an upsert, and whether the upsert created it. */
  record Registered(NodeRecord node, boolean created) {}
}
