package io.mpcw.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last good node list in PostgreSQL ({@code cluster_membership}), as a node list document of
 * the registry's shape ({@code {"nodes": [...]}}). Written only when the list changed (or every
 * {@code persist-interval}), so a registry polled by every stage costs no write per poll. The
 * database being down never fails a caller: the list is then simply not stored.
 */
@Component
public class MembershipStore {
  private static final Logger log = LoggerFactory.getLogger(MembershipStore.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ObjectMapper json;
  private final MembershipProperties properties;
  private final Clock clock;
  private String lastSaved = "";
  private Instant lastSavedAt = Instant.EPOCH;

  public MembershipStore(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      ObjectMapper json,
      MembershipProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.json = json;
    this.properties = properties;
    this.clock = Clock.systemUTC();
  }

  /** Replaces the stored list with {@code document}'s nodes, unless nothing changed lately. */
  public synchronized void save(JsonNode document, MembershipSource source) {
    List<JsonNode> nodes = new ArrayList<>();
    document.path("nodes").forEach(nodes::add);
    String digest = digest(nodes);
    Instant now = clock.instant();
    if (digest.equals(lastSaved)
        && Duration.between(lastSavedAt, now).compareTo(properties.persistInterval()) < 0) {
      return;
    }
    try {
      transactions.executeWithoutResult(
          status -> {
            // replicas replace the list one at a time: no lost rows, no key conflicts
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('cluster_membership'))")
                .query()
                .singleRow();
            jdbc.sql("DELETE FROM cluster_membership").update();
            for (JsonNode node : nodes) {
              insert(node, source, now);
            }
          });
      lastSaved = digest;
      lastSavedAt = now;
    } catch (DataAccessException e) {
      log.warn("node list not stored: {}", e.getMostSpecificCause().getMessage());
    }
  }

  /** The stored list, or empty when none was ever stored or the database cannot be read. */
  public Optional<ObjectNode> load() {
    try {
      List<ObjectNode> rows =
          jdbc.sql(
                  "SELECT node_id, quic_address, certificate, status, cpu_load, last_seen"
                      + " FROM cluster_membership ORDER BY node_id")
              .query(
                  (rs, i) -> {
                    ObjectNode node = json.createObjectNode();
                    node.put("node_id", rs.getString("node_id"));
                    node.put("quic_address", rs.getString("quic_address"));
                    node.put("status", rs.getString("status"));
                    node.put("cpu_load", rs.getDouble("cpu_load"));
                    Timestamp seen = rs.getTimestamp("last_seen");
                    node.put("last_heartbeat", seen == null ? null : seen.toInstant().toString());
                    node.put("certificate", rs.getString("certificate"));
                    return node;
                  })
              .list();
      if (rows.isEmpty()) {
        return Optional.empty();
      }
      ObjectNode document = json.createObjectNode();
      ArrayNode list = document.putArray("nodes");
      rows.forEach(list::add);
      return Optional.of(document);
    } catch (DataAccessException e) {
      log.warn("stored node list not readable: {}", e.getMostSpecificCause().getMessage());
      return Optional.empty();
    }
  }

  private void insert(JsonNode node, MembershipSource source, Instant now) {
    String status = node.path("status").asText("active");
    jdbc.sql(
            "INSERT INTO cluster_membership"
                + " (node_id, quic_address, certificate, status, cpu_load, last_seen, source,"
                + " saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            node.path("node_id").asText(),
            text(node, "quic_address"),
            text(node, "certificate"),
            List.of("active", "suspect", "dead").contains(status) ? status : "dead",
            node.path("cpu_load").asDouble(0),
            lastSeen(node),
            source.tag(),
            OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC))
        .update();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static OffsetDateTime lastSeen(JsonNode node) {
    String value = text(node, "last_heartbeat");
    try {
      return value == null
          ? null
          : OffsetDateTime.ofInstant(Instant.parse(value), java.time.ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** What makes two lists different for storing: who, where, which certificate, which status. */
  private static String digest(List<JsonNode> nodes) {
    TreeMap<String, String> byId = new TreeMap<>();
    for (JsonNode node : nodes) {
      byId.put(
          node.path("node_id").asText(),
          text(node, "quic_address")
              + "|"
              + node.path("status").asText()
              + "|"
              + String.valueOf(text(node, "certificate")).hashCode());
    }
    return byId.toString();
  }
}
