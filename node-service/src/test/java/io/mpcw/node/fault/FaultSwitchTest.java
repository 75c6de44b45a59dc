package io.mpcw.node.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class FaultSwitchTest {

  private static final Logger log = LoggerFactory.getLogger(FaultSwitchTest.class);

  @Test
  void honestNodeStartsWithOrWithoutTheFaultInjectionProfile() {
    assertThat(FaultSwitch.check(ByzantineMode.NONE, false, log)).isEqualTo(ByzantineMode.NONE);
    assertThat(FaultSwitch.check(ByzantineMode.NONE, true, log)).isEqualTo(ByzantineMode.NONE);
  }

  @Test
  void faultIsRefusedWithoutTheFaultInjectionProfile() {
    assertThatThrownBy(() -> FaultSwitch.check(ByzantineMode.EQUIVOCATE, false, log))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mpcw.node.byzantine=equivocate")
        .hasMessageContaining("fault-injection");
  }

  @Test
  void badShareModeIsRefusedWithoutTheProfileAndSpelledBadShare() {
    assertThat(ByzantineMode.BAD_SHARE.id()).isEqualTo("bad-share");
    assertThatThrownBy(() -> FaultSwitch.check(ByzantineMode.BAD_SHARE, false, log))
        .hasMessageContaining("mpcw.node.byzantine=bad-share");
  }

  @Test
  void signingFaultsAreSpelledAsConfiguredAndRefusedWithoutTheProfile() {
    assertThat(ByzantineMode.SLOW_SIGNER.id()).isEqualTo("slow-signer");
    assertThat(ByzantineMode.WITHHOLD_SHARE.id()).isEqualTo("withhold-share");
    assertThatThrownBy(() -> FaultSwitch.check(ByzantineMode.SLOW_SIGNER, false, log))
        .hasMessageContaining("mpcw.node.byzantine=slow-signer");
  }

  @Test
  void faultIsAllowedOnlyWithTheFaultInjectionProfile() {
    assertThat(FaultSwitch.check(ByzantineMode.SILENT, true, log)).isEqualTo(ByzantineMode.SILENT);
  }

  @Test
  void rejectAllOverridesTheDecisionOthersKeepIt() {
    assertThat(ByzantineMode.REJECT_ALL.recorded(io.mpcw.votes.Decision.APPROVE))
        .isEqualTo(io.mpcw.votes.Decision.REJECT);
    assertThat(ByzantineMode.EQUIVOCATE.recorded(io.mpcw.votes.Decision.APPROVE))
        .isEqualTo(io.mpcw.votes.Decision.APPROVE);
    assertThat(ByzantineMode.REJECT_ALL.id()).isEqualTo("reject-all");
  }
}
