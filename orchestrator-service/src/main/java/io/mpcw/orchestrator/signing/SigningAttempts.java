package io.mpcw.orchestrator.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.orchestrator.transaction.RowChange;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code signing_attempts} rows of payments, and their count on the payment. */
@Repository
public class SigningAttempts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> OUTCOMES = new TypeReference<>() {};
  private final JdbcClient jdbc;

  public SigningAttempts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<SigningAttempt> of(UUID txId) {
    return jdbc.sql(
            "SELECT attempt, session_id, signers, started_at, finished_at, outcome, culprit, detail"
                + " FROM signing_attempts WHERE tx_id = ? ORDER BY attempt")
        .param(txId)
        .query(
            (rs, i) ->
                new SigningAttempt(
                    rs.getInt("attempt"),
                    rs.getObject("session_id", UUID.class),
                    Arrays.asList((String[]) rs.getArray("signers").getArray()),
                    rs.getTimestamp("started_at").toInstant(),
                    rs.getTimestamp("finished_at").toInstant(),
                    SigningOutcome.parse(rs.getString("outcome")),
                    Optional.ofNullable(rs.getString("culprit"))
                        .map(c -> List.of(c.split(",")))
                        .orElse(List.of()),
                    Optional.ofNullable(rs.getString("detail"))))
        .list();
  }

  /**
   * What each signer did in each session of the payment (a session is an attempt): "share ok",
   * "invalid share", "refused: …", "no answer: …", "no answer yet (a sibling session won)".
   */
  public Map<UUID, Map<String, String>> signerOutcomes(UUID txId) {
    Map<UUID, Map<String, String>> out = new LinkedHashMap<>();
    jdbc.sql("SELECT session_id, signer_outcomes FROM signing_sessions WHERE tx_id = ?")
        .param(txId)
        .query(
            (rs, i) -> {
              try {
                return out.put(
                    rs.getObject("session_id", UUID.class),
                    JSON.readValue(rs.getString("signer_outcomes"), OUTCOMES));
              } catch (JsonProcessingException e) {
                throw new IllegalStateException("signing_sessions.signer_outcomes is malformed", e);
              }
            })
        .list();
    return out;
  }

  /** The attempts of the payment row being updated. */
  private static final String COUNT_OF_THE_ROW =
      "(SELECT count(*) FROM signing_attempts a WHERE a.tx_id = transactions.id)";

  /** Appends an attempt (numbered after the last one) and counts it on the payment. */
  public void record(UUID txId, SigningAttempt a) {
    insert(txId, a);
    jdbc.sql("UPDATE transactions SET signing_attempts = " + COUNT_OF_THE_ROW + " WHERE id = ?")
        .param(txId)
        .update();
  }

  /**
   * The payment's count of attempts, set by the state change that follows an {@link #insert} in its
   * database transaction (the count sees the inserted row).
   */
  public static void counted(RowChange row) {
    row.setTo("signing_attempts", COUNT_OF_THE_ROW);
  }

  /** Appends an attempt (numbered after the last one); {@link #counted} counts it on the row. */
  void insert(UUID txId, SigningAttempt a) {
    jdbc.sql(INSERT).params(insertParams(txId, a)).update();
  }

  /** Appends an attempt numbered after the last one: {@link #insertParams} fills it in. */
  static final String INSERT =
      "INSERT INTO signing_attempts (tx_id, attempt, session_id, signers, started_at,"
          + " finished_at, outcome, culprit, detail) SELECT ?, coalesce(max(attempt), 0) + 1,"
          + " ?, ?, ?, ?, ?, ?, ? FROM signing_attempts WHERE tx_id = ?"
          + " ON CONFLICT DO NOTHING";

  static List<Object> insertParams(UUID txId, SigningAttempt a) {
    return java.util.Arrays.asList(
        txId,
        a.sessionId(),
        a.signers().toArray(String[]::new),
        Timestamp.from(a.startedAt()),
        Timestamp.from(a.finishedAt()),
        a.outcome().wireName(),
        a.culprits().isEmpty() ? null : String.join(",", a.culprits()),
        a.detail().map(d -> d.length() > 500 ? d.substring(0, 500) : d).orElse(null),
        txId);
  }
}
