package io.mpcw.node.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which requests each mode touches: decided by the type's prefix alone. */
class SigningFaultsTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private SigningFaults of(ByzantineMode mode) {
    return new SigningFaults(mode, Duration.ofSeconds(2), timer);
  }

  @Test
  void withholdingSignerDropsRound2OnlyWhateverItsVersion() {
    SigningFaults faults = of(ByzantineMode.WITHHOLD_SHARE);
    assertThat(faults.withholds("sign.share.v1")).isTrue();
    assertThat(faults.withholds("sign.share.v2")).isTrue();
    assertThat(faults.withholds("sign.commit.v1")).isFalse();
    assertThat(faults.withholds("sign.precommit.v1")).isFalse();
    assertThat(faults.withholds("vote.request.v1")).isFalse();
    assertThat(faults.delays("sign.commit.v1")).isFalse();
  }

  @Test
  void slowSignerDelaysEverySigningRequestAndNothingElse() {
    SigningFaults faults = of(ByzantineMode.SLOW_SIGNER);
    assertThat(faults.delays("sign.commit.v1")).isTrue();
    assertThat(faults.delays("sign.precommit.v1")).isTrue();
    assertThat(faults.delays("sign.share.v1")).isTrue();
    assertThat(faults.delays("dkg.part1.v1")).isFalse();
    assertThat(faults.delays("refresh.part1.v1")).isFalse();
    assertThat(faults.withholds("sign.share.v1")).isFalse();
  }

  @Test
  void silentNodeDropsEverySigningRequest() {
    SigningFaults faults = of(ByzantineMode.SILENT);
    assertThat(faults.withholds("sign.commit.v1")).isTrue();
    assertThat(faults.withholds("sign.share.v1")).isTrue();
    assertThat(faults.withholds("dkg.part1.v1")).isFalse();
  }

  @Test
  void otherModesLeaveTheHandlerAsItIs() {
    io.mpcw.transport.RequestHandler handler = (peer, request) -> null;
    for (ByzantineMode mode :
        new ByzantineMode[] {
          ByzantineMode.NONE, ByzantineMode.BAD_SHARE, ByzantineMode.REJECT_ALL
        }) {
      assertThat(of(mode).around(handler)).isSameAs(handler);
    }
    assertThat(of(ByzantineMode.SLOW_SIGNER).around(handler)).isNotSameAs(handler);
  }
}
