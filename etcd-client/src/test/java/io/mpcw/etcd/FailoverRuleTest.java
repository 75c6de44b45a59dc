package io.mpcw.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failures send a request to another member (the integration: EtcdMemberFailoverTest). */
class FailoverRuleTest {

  @Test
  void aWriteRefusedForWantOfALeaderIsRepeatedElsewhereBecauseItWasNeverProposed() {
    assertThat(
            FailoverRule.of(
                Status.UNAVAILABLE.withDescription("etcdserver: no leader").asRuntimeException(),
                false))
        .isEqualTo(FailoverRule.RETRY_ELSEWHERE);
  }

  @Test
  void aWriteThatFoundNoConnectionIsRepeatedElsewhereBecauseItNeverLeft() {
    Throwable refused =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new ConnectException("Connection refused"))
            .asRuntimeException();

    assertThat(FailoverRule.of(refused, false)).isEqualTo(FailoverRule.RETRY_ELSEWHERE);
  }

  @Test
  void aWriteThatTimedOutOrBrokeOnTheWayIsHandedBackNotRepeated() {
    Throwable timedOut =
        Status.UNAVAILABLE.withDescription("etcdserver: request timed out").asRuntimeException();
    Throwable broken =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new IOException("Broken pipe"))
            .asRuntimeException();
    Throwable leaderChanged =
        Status.UNAVAILABLE.withDescription("etcdserver: leader changed").asRuntimeException();

    assertThat(FailoverRule.of(timedOut, false)).isEqualTo(FailoverRule.FAIL_AND_MOVE);
    assertThat(FailoverRule.of(broken, false)).isEqualTo(FailoverRule.FAIL_AND_MOVE);
    assertThat(FailoverRule.of(leaderChanged, false)).isEqualTo(FailoverRule.FAIL_AND_MOVE);
    assertThat(FailoverRule.of(Status.DEADLINE_EXCEEDED.asRuntimeException(), false))
        .isEqualTo(FailoverRule.FAIL_AND_MOVE);
  }

  @Test
  void aReadIsRepeatedElsewhereAfterAnyUnavailability() {
    Throwable timedOut =
        Status.UNAVAILABLE.withDescription("etcdserver: request timed out").asRuntimeException();

    assertThat(FailoverRule.of(timedOut, true)).isEqualTo(FailoverRule.RETRY_ELSEWHERE);
    assertThat(FailoverRule.of(Status.DEADLINE_EXCEEDED.asRuntimeException(), true))
        .isEqualTo(FailoverRule.RETRY_ELSEWHERE);
  }

  @Test
  void aRefusalOnTheRequestItselfIsNeitherRepeatedNorAReasonToLeaveTheMember() {
    Throwable denied =
        Status.PERMISSION_DENIED
            .withDescription("etcdserver: permission denied")
            .asRuntimeException();

    assertThat(FailoverRule.of(denied, true)).isEqualTo(FailoverRule.FAIL);
    assertThat(FailoverRule.of(denied, false)).isEqualTo(FailoverRule.FAIL);
    assertThat(FailoverRule.of(new IllegalStateException("bug"), true))
        .isEqualTo(FailoverRule.FAIL);
  }
}
