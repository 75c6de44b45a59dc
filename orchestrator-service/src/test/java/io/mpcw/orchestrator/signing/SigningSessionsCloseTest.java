package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.orchestrator.support.OrchestratorTestBase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link SigningSessions#close} on PostgreSQL refuses, before any SQL, a close the session table or
 * the attempt outcome table does not allow.
 */
class SigningSessionsCloseTest extends OrchestratorTestBase {
  @Autowired SigningSessions sessions;

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

  @Test
  void anAllowedCloseOfNoOpenSessionChangesNothing() {
    assertThat(
            sessions.close(UUID.randomUUID(), SigningSessionState.ABORTED, SigningOutcome.REFUSED))
        .isFalse();
  }
}
