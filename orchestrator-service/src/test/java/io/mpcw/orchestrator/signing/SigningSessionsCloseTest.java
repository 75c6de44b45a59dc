package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link SigningSessions#close} on PostgreSQL refuses, before any SQL, a close the session table or
 * the attempt outcome table does not allow; a close may record what each signer did in the same
 * statement.
 */
class SigningSessionsCloseTest extends OrchestratorTestBase {
  @Autowired SigningSessions sessions;
  @Autowired SigningAttempts attempts;
  private final List<UUID> wallets = new ArrayList<>();

  @AfterEach
  void dropTheWalletsMadeHere() {
    for (UUID wallet : wallets) {
      jdbc.sql(
              "DELETE FROM signing_attempts WHERE tx_id IN"
                  + " (SELECT id FROM transactions WHERE wallet_id = ?)")
          .param(wallet)
          .update();
      jdbc.sql(
              "DELETE FROM signing_sessions WHERE tx_id IN"
                  + " (SELECT id FROM transactions WHERE wallet_id = ?)")
          .param(wallet)
          .update();
      jdbc.sql("DELETE FROM transactions WHERE wallet_id = ?").param(wallet).update();
      jdbc.sql("DELETE FROM wallets WHERE id = ?").param(wallet).update();
    }
  }

  @Test
  void aCloseRecordsTheSignersOutcomesInTheSameStatement() {
    UUID session = openSession();
    Map<String, String> outcomes = new LinkedHashMap<>();
    outcomes.put("node-1", "share ok");
    outcomes.put("node-3", "share ok");

    assertThat(sessions.close(session, SigningSessionState.COMPLETE, SigningOutcome.OK, outcomes))
        .isTrue();

    assertThat(stateOf(session)).isEqualTo("complete");
    assertThat(attempts.signerOutcomes(txOf(session))).containsEntry(session, outcomes);
  }

  @Test
  void aCompletedSessionIsClosedAndItsAttemptAppendedByOneStatement() {
    UUID session = openSession();
    UUID tx = txOf(session);
    Instant started = Instant.parse("2026-12-06T10:00:00Z");
    SigningAttempt ok =
        new SigningAttempt(
            0,
            session,
            List.of("node-1", "node-3"),
            started,
            started.plusMillis(40),
            SigningOutcome.OK,
            List.of(),
            Optional.empty());

    sessions.completed(session, Map.of("node-1", "share ok", "node-3", "share ok"), tx, ok);

    assertThat(stateOf(session)).isEqualTo("complete");
    assertThat(attempts.signerOutcomes(tx))
        .containsEntry(session, Map.of("node-1", "share ok", "node-3", "share ok"));
    assertThat(attempts.of(tx))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.attempt()).isEqualTo(1);
              assertThat(a.sessionId()).isEqualTo(session);
              assertThat(a.outcome()).isEqualTo(SigningOutcome.OK);
              assertThat(a.signers()).containsExactly("node-1", "node-3");
            });
  }

  @Test
  void aCloseWithoutOutcomesKeepsThoseRecordedBefore() {
    UUID session = openSession();
    sessions.outcomes(session, Map.of("node-2", "no answer"));

    assertThat(sessions.close(session, SigningSessionState.ABORTED, SigningOutcome.REFUSED))
        .isTrue();

    assertThat(stateOf(session)).isEqualTo("aborted");
    assertThat(attempts.signerOutcomes(txOf(session)))
        .containsEntry(session, Map.of("node-2", "no answer"));
  }

  @Test
  void aCloseOfASessionClosedAlreadyChangesNeitherStateNorOutcomes() {
    UUID session = openSession();
    sessions.close(session, SigningSessionState.COMPLETE, SigningOutcome.OK, Map.of("n", "a"));

    assertThat(
            sessions.close(
                session, SigningSessionState.COMPLETE, SigningOutcome.OK, Map.of("n", "b")))
        .isFalse();

    assertThat(attempts.signerOutcomes(txOf(session))).containsEntry(session, Map.of("n", "a"));
  }

  @Test
  void refusesToCloseASessionAsOpen() {
    assertThatThrownBy(
            () -> sessions.close(UUID.randomUUID(), SigningSessionState.OPEN, SigningOutcome.OK))
        .isInstanceOf(SigningSessionState.IllegalMove.class)
        .hasMessage("signing session open → open is not allowed");
  }

  @Test
  void refusesAnOutcomeThatDoesNotMatchTheClosingState() {
    assertThatThrownBy(
            () -> sessions.close(UUID.randomUUID(), SigningSessionState.ABORTED, SigningOutcome.OK))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a signing attempt ok does not close its session as aborted");
    assertThatThrownBy(
            () ->
                sessions.close(
                    UUID.randomUUID(), SigningSessionState.COMPLETE, SigningOutcome.CULPRIT))
        .hasMessage("a signing attempt culprit does not close its session as complete");
  }

  /** An open session of a payment in signing, written as its attempt would. */
  private UUID openSession() {
    UUID wallet = UUID.randomUUID();
    UUID tx = UUID.randomUUID();
    UUID session = UUID.randomUUID();
    wallets.add(wallet);
    jdbc.sql("INSERT INTO wallets (id, name, threshold, network) VALUES (?, ?, 3, 'regtest')")
        .params(wallet, "close-" + wallet)
        .update();
    jdbc.sql(
            "INSERT INTO transactions (id, wallet_id, recipient, amount_sats, fee_rate_sat_vb,"
                + " state, created_at, updated_at, state_entered_at, next_attempt_at)"
                + " VALUES (?, ?, ?, 1000, 2, 'signing', now(), now(), now(), now())")
        .params(tx, wallet, ADDRESS)
        .update();
    jdbc.sql(
            "INSERT INTO signing_sessions (session_id, tx_id, signers, commitments, txid,"
                + " started_at) VALUES (?, ?, ARRAY['node-1','node-3'], '{}'::jsonb, ?, now())")
        .params(session, tx, "00".repeat(32))
        .update();
    return session;
  }

  private String stateOf(UUID session) {
    return jdbc.sql("SELECT state FROM signing_sessions WHERE session_id = ?")
        .param(session)
        .query(String.class)
        .single();
  }

  private UUID txOf(UUID session) {
    return jdbc.sql("SELECT tx_id FROM signing_sessions WHERE session_id = ?")
        .param(session)
        .query(UUID.class)
        .single();
  }

  @Test
  void anAllowedCloseOfNoOpenSessionChangesNothing() {
    assertThat(
            sessions.close(UUID.randomUUID(), SigningSessionState.ABORTED, SigningOutcome.REFUSED))
        .isFalse();
  }
}
