package io.mpcw.orchestrator.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every round-1 commitment the coordinator accepted, per wallet. A signer that sends one again is
 * refused: reusing a nonce pair across two signatures would reveal its key share (RFC 9591 §5.1).
 */
@Repository
public class SeenCommitments {
  private final JdbcClient jdbc;

  public SeenCommitments(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records the commitment; false when this wallet has seen it before. */
  public boolean firstSight(UUID walletId, byte[] commitment, String nodeId, UUID sessionId) {
    return jdbc.sql(
                "INSERT INTO seen_commitments (wallet_id, commitment_sha256, node_id, session_id)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .params(walletId, sha256(commitment), nodeId, sessionId)
            .update()
        == 1;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
