package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.hash.Sha256;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every round-1 commitment the coordinator accepted, per wallet. A signer that sends one again is
 * refused: reusing a nonce pair across two signatures would reveal its key share (RFC 9591 §5.1).
 */
@Repository
public class SeenCommitments {
  /** Rows per statement: four parameters each, far inside PostgreSQL's 65,535. */
  static final int ROWS_PER_STATEMENT = 1_000;

  private final JdbcClient jdbc;

  public SeenCommitments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One commitment a node sent, as the coordinator saw it. */
  public record Sighting(UUID walletId, byte[] commitment, String nodeId, UUID sessionId) {
    public Sighting {
      Objects.requireNonNull(walletId, "walletId");
      Objects.requireNonNull(commitment, "commitment");
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(sessionId, "sessionId");
    }
  }

  /** Records the commitment; false when this wallet has seen it before. */
  public boolean firstSight(UUID walletId, byte[] commitment, String nodeId, UUID sessionId) {
    return firstSights(List.of(new Sighting(walletId, commitment, nodeId, sessionId))).get(0);
  }

  /**
   * Records every sighting, in one statement per {@value #ROWS_PER_STATEMENT}; per sighting in
   * order, whether it is the first sight of its commitment for its wallet (one named twice in the
   * list: only its first).
   */
  public List<Boolean> firstSights(List<Sighting> sightings) {
    List<Boolean> first = new ArrayList<>(sightings.size());
    for (int from = 0; from < sightings.size(); from += ROWS_PER_STATEMENT) {
      first.addAll(
          insert(sightings.subList(from, Math.min(sightings.size(), from + ROWS_PER_STATEMENT))));
    }
    return first;
  }

  private List<Boolean> insert(List<Sighting> sightings) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO seen_commitments (wallet_id, commitment_sha256, node_id, session_id)"
                + " VALUES ");
    List<Object> params = new ArrayList<>(sightings.size() * 4);
    List<Key> keys = new ArrayList<>(sightings.size());
    for (int i = 0; i < sightings.size(); i++) {
      Sighting s = sightings.get(i);
      sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
      byte[] digest = Sha256.of(s.commitment());
      keys.add(new Key(s.walletId(), ByteBuffer.wrap(digest)));
      params.add(s.walletId());
      params.add(digest);
      params.add(s.nodeId());
      params.add(s.sessionId());
    }
    // a row that conflicts, with the table or with an earlier row of this statement, is skipped
    sql.append(" ON CONFLICT DO NOTHING RETURNING wallet_id, commitment_sha256");
    Set<Key> inserted =
        new HashSet<>(
            jdbc.sql(sql.toString())
                .params(params)
                .query(
                    (rs, n) ->
                        new Key(rs.getObject(1, UUID.class), ByteBuffer.wrap(rs.getBytes(2))))
                .list());
    List<Boolean> first = new ArrayList<>(keys.size());
    for (Key key : keys) {
      first.add(inserted.remove(key));
    }
    return first;
  }

  private record Key(UUID walletId, ByteBuffer digest) {}
}
