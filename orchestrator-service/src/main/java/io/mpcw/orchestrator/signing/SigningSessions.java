package io.mpcw.orchestrator.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcw.types.transaction.TransactionState;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code signing_sessions} rows: a session is written {@code open} before its first round-2
 * request leaves, and closed once etcd settled how it ended ({@link SigningSessionState}'s table).
 * States are bound as their wire names, never written into the SQL.
 */
@Repository
class SigningSessions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, List<String>>> COMMITMENTS =
      new TypeReference<>() {};
  private static final TypeReference<Map<String, List<UUID>>> IDS = new TypeReference<>() {};
  private final JdbcClient jdbc;

  SigningSessions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Sessions of the payment still open, oldest first: normally none, after a crash some. */
  List<SigningSession> open(UUID txId) {
    return jdbc.sql(
            "SELECT session_id, tx_id, signers, commitments, commitment_ids, txid, started_at"
                + " FROM signing_sessions WHERE tx_id = ? AND state = ? ORDER BY started_at")
        .params(txId, SigningSessionState.OPEN.wireName())
        .query(
            (rs, i) ->
                new SigningSession(
                    rs.getObject("session_id", UUID.class),
                    rs.getObject("tx_id", UUID.class),
                    Arrays.asList((String[]) rs.getArray("signers").getArray()),
                    parse(rs.getString("commitments"), COMMITMENTS),
                    parse(rs.getString("commitment_ids"), IDS),
                    rs.getString("txid"),
                    rs.getTimestamp("started_at").toInstant()))
        .list();
  }

  /**
   * Records the session as open, committed on its own before any round-2 request is sent; only
   * while {@code leaseToken} still holds the payment in signing.
   *
   * @return false when it was not recorded: round 2 must not be asked
   */
  boolean opened(SigningSession s, String leaseToken) {
    return jdbc.sql(
                "INSERT INTO signing_sessions (session_id, tx_id, signers, commitments,"
                    + " commitment_ids, txid, started_at, state)"
                    + " SELECT ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?"
                    + " FROM transactions WHERE id = ?"
                    + " AND state = ? AND lease_owner = ? AND lease_expires_at > now()"
                    + " ON CONFLICT DO NOTHING")
            .params(
                s.sessionId(),
                s.txId(),
                s.signers().toArray(String[]::new),
                json(s.commitments()),
                json(s.commitmentIds()),
                s.txid(),
                Timestamp.from(s.startedAt()),
                SigningSessionState.OPEN.wireName(),
                s.txId(),
                TransactionState.SIGNING.wireName(),
                leaseToken)
            .update()
        == 1;
  }

  /**
   * Closes an open session with its attempt's {@code outcome}; false if it was closed already (by a
   * replica racing this one).
   *
   * @throws SigningSessionState.IllegalMove when {@code state} does not close a session ({@code
   *     open})
   * @throws IllegalStateException when an attempt with {@code outcome} does not close a session as
   *     {@code state} (a signed attempt closing it aborted, say)
   */
  boolean close(UUID sessionId, SigningSessionState state, SigningOutcome outcome) {
    return close(sessionId, state, outcome, Map.of());
  }

  /**
   * As {@link #close(UUID, SigningSessionState, SigningOutcome)}, recording what each signer did in
   * the same statement ({@code bySigner} empty: the outcomes recorded stay).
   */
  boolean close(
      UUID sessionId,
      SigningSessionState state,
      SigningOutcome outcome,
      Map<String, String> bySigner) {
    return jdbc.sql(CLOSE).params(closeParams(sessionId, state, outcome, bySigner)).update() == 1;
  }

  /**
   * Closes the session {@code complete}, recording what each signer did, and appends its attempt
   * {@code ok}, in one statement: what the move to {@code signed} writes besides the row.
   */
  void completed(UUID sessionId, Map<String, String> bySigner, UUID txId, SigningAttempt ok) {
    List<Object> params =
        closeParams(sessionId, SigningSessionState.COMPLETE, ok.outcome(), bySigner);
    params.addAll(SigningAttempts.insertParams(txId, ok));
    jdbc.sql("WITH closed AS (" + CLOSE + ") " + SigningAttempts.INSERT).params(params).update();
  }

  /** Closes an open session: {@link #closeParams} fills it in. */
  private static final String CLOSE =
      "UPDATE signing_sessions SET state = ?, closed_at = now(),"
          + " signer_outcomes = coalesce(?::jsonb, signer_outcomes)"
          + " WHERE session_id = ? AND state = ?";

  /** Refuses, before any SQL, a close the session table or the attempt outcome table forbids. */
  private static List<Object> closeParams(
      UUID sessionId,
      SigningSessionState state,
      SigningOutcome outcome,
      Map<String, String> bySigner) {
    SigningSessionState from = SigningSessionState.OPEN;
    from.checkMoveTo(state);
    outcome.checkClosesAs(state);
    return new ArrayList<>(
        Arrays.asList(
            state.wireName(),
            bySigner.isEmpty() ? null : json(bySigner),
            sessionId,
            from.wireName()));
  }

  /** Records what each signer did in the session (see {@link SignerOutcome}). */
  void outcomes(UUID sessionId, Map<String, String> bySigner) {
    jdbc.sql("UPDATE signing_sessions SET signer_outcomes = ?::jsonb WHERE session_id = ?")
        .params(json(bySigner), sessionId)
        .update();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("strings and ids always serialise", e);
    }
  }

  private static <T> T parse(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("signing_sessions holds malformed JSON", e);
    }
  }
}
