package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.lifecycle.LifecycleVote;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@code key_operations} row reads and how its jsonb columns are written. Apart from {@link
 * KeyOperations} because that says which changes are allowed; this only says how a row looks.
 */
final class KeyOperationRows {
  static final String COLUMNS =
      "id, wallet_id, kind, state, from_epoch, subject, votes::text AS votes, public_key_package,"
          + " acks::text AS acks, new_threshold, new_participants, old_participants, attempts,"
          + " reason, created_at, updated_at";

  /** How votes and acknowledgements are kept in jsonb: the nodes' own wire form. */
  record Votes(Map<String, LifecycleVote> votes) {}

  record Acks(Map<String, String> acks) {}

  private KeyOperationRows() {}

  static String votesJson(Map<String, LifecycleVote> votes) {
    return new String(ProtocolMessages.encode(new Votes(votes)));
  }

  static String acksJson(Map<String, String> acks) {
    return new String(ProtocolMessages.encode(new Acks(acks)));
  }

  static KeyOperation map(ResultSet rs, int row) throws SQLException {
    String acks = rs.getString("acks");
    Timestamp updated = rs.getTimestamp("updated_at");
    return new KeyOperation(
        rs.getObject("id", UUID.class),
        rs.getObject("wallet_id", UUID.class),
        rs.getString("kind"),
        State.fromWireName(rs.getString("state")),
        rs.getLong("from_epoch"),
        rs.getString("subject"),
        ProtocolMessages.decode(rs.getString("votes").getBytes(), Votes.class).votes(),
        Optional.ofNullable(rs.getBytes("public_key_package")),
        acks == null ? Map.of() : ProtocolMessages.decode(acks.getBytes(), Acks.class).acks(),
        target(rs),
        rs.getInt("attempts"),
        Optional.ofNullable(rs.getString("reason")),
        rs.getTimestamp("created_at").toInstant(),
        updated.toInstant());
  }

  private static Optional<KeyOperation.NewSet> target(ResultSet rs) throws SQLException {
    Array participants = rs.getArray("new_participants");
    if (participants == null) {
      return Optional.empty();
    }
    Array previous = rs.getArray("old_participants");
    return Optional.of(
        new KeyOperation.NewSet(
            rs.getInt("new_threshold"),
            List.of((String[]) participants.getArray()),
            List.of((String[]) previous.getArray())));
  }
}
