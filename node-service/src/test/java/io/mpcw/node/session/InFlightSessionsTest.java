package io.mpcw.node.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightSessionsTest {
  private final InFlightSessions sessions = new InFlightSessions();

  @Test
  void countsOpenSessionsAndClosingTwiceEndsOnlyOnce() {
    InFlightSessions.Session first = sessions.begin();
    try (InFlightSessions.Session second = sessions.begin()) {
      assertThat(sessions.count()).isEqualTo(2);
    }
    first.close();
    first.close();

    assertThat(sessions.count()).isZero();
  }
}
