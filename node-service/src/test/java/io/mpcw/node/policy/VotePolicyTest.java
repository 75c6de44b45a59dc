package io.mpcw.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.crypto.address.Network;
import io.mpcw.node.vote.Payments;
import io.mpcw.votes.Decision;
import io.mpcw.votes.VoteRequest;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VotePolicyTest {

  private static final String ALICE = Payments.address(Network.REGTEST, 1);
  private static final String BOB = Payments.address(Network.REGTEST, 2);
  private static final String MALLORY = Payments.address(Network.REGTEST, 3);
  private static final UUID WALLET = UUID.randomUUID();

  private static VotePolicy policy(
      long maxAmount, long dailyLimit, List<String> allow, List<String> deny, String network) {
    return new VotePolicy(
        new PolicyProperties(maxAmount, dailyLimit, allow, deny, network, 100_000));
  }

  private static final VotePolicy DEFAULTS =
      policy(100_000_000L, 0, List.of(), List.of(), "regtest");

  private static VoteRequest pay(String recipient, long amount) {
    return Payments.payment(WALLET, recipient, amount);
  }

  @Test
  void approvesPaymentWithinEveryRuleByDefault() {
    PolicyDecision decision = DEFAULTS.evaluate(pay(ALICE, 100_000_000L), PolicyState.empty());

    assertThat(decision.decision()).isEqualTo(Decision.APPROVE);
    assertThat(decision.brokenRule()).isEmpty();
  }

  @Test
  void rejectsPaymentAboveTheDefaultLimitNamingIt() {
    PolicyDecision decision = DEFAULTS.evaluate(pay(ALICE, 100_000_001L), PolicyState.empty());

    assertThat(decision.decision()).isEqualTo(Decision.REJECT);
    assertThat(decision.brokenRule()).contains(PolicyRule.MAX_AMOUNT);
    assertThat(decision.reason())
        .isEqualTo("amount 100000001 sats exceeds the per-transaction limit of 100000000 sats");
  }

  @Test
  void honoursAConfiguredPerTransactionLimit() {
    VotePolicy small = policy(5_000, 0, List.of(), List.of(), "regtest");

    assertThat(small.evaluate(pay(ALICE, 5_000), PolicyState.empty()).approved()).isTrue();
    assertThat(small.evaluate(pay(ALICE, 5_001), PolicyState.empty()).reason())
        .contains("limit of 5000 sats");
  }

  @Test
  void rejectsAmountThatIsNotPositive() {
    assertThat(DEFAULTS.evaluate(pay(ALICE, 0), PolicyState.empty()).brokenRule())
        .contains(PolicyRule.AMOUNT_NOT_POSITIVE);
    assertThat(DEFAULTS.evaluate(pay(ALICE, -5), PolicyState.empty()).brokenRule())
        .contains(PolicyRule.AMOUNT_NOT_POSITIVE);
  }

  @Test
  void rejectsRecipientOfAnotherNetwork() {
    PolicyDecision decision =
        DEFAULTS.evaluate(pay(Payments.address(Network.MAINNET, 1), 1_000), PolicyState.empty());

    assertThat(decision.brokenRule()).contains(PolicyRule.WRONG_NETWORK);
    assertThat(decision.reason()).isEqualTo("recipient is not a regtest address");
  }

  @Test
  void checksRecipientsAgainstTheConfiguredNetwork() {
    VotePolicy mainnet = policy(100_000_000L, 0, List.of(), List.of(), "mainnet");

    assertThat(
            mainnet
                .evaluate(pay(Payments.address(Network.MAINNET, 1), 1_000), PolicyState.empty())
                .approved())
        .isTrue();
    assertThat(mainnet.evaluate(pay(ALICE, 1_000), PolicyState.empty()).brokenRule())
        .contains(PolicyRule.WRONG_NETWORK);
  }

  @Test
  void rejectsRecipientThatIsNotAnAddress() {
    PolicyDecision decision =
        DEFAULTS.evaluate(pay("bcrt1notanaddress", 1_000), PolicyState.empty());

    assertThat(decision.brokenRule()).contains(PolicyRule.INVALID_RECIPIENT);
    assertThat(decision.reason()).startsWith("recipient is not a valid address: ");
  }

  @Test
  void rejectsDenyListedRecipientEvenWhenAllowListed() {
    VotePolicy policy = policy(100_000_000L, 0, List.of(MALLORY), List.of(MALLORY), "regtest");

    PolicyDecision decision = policy.evaluate(pay(MALLORY, 1_000), PolicyState.empty());

    assertThat(decision.brokenRule()).contains(PolicyRule.DENY_LISTED);
    assertThat(decision.reason()).isEqualTo("recipient is on the deny-list");
  }

  @Test
  void matchesListedAddressesWhateverTheirCase() {
    VotePolicy policy =
        policy(100_000_000L, 0, List.of(), List.of(MALLORY.toUpperCase(Locale.ROOT)), "regtest");

    assertThat(policy.evaluate(pay(MALLORY, 1_000), PolicyState.empty()).brokenRule())
        .contains(PolicyRule.DENY_LISTED);
  }

  @Test
  void nonEmptyAllowListAdmitsOnlyItsRecipients() {
    VotePolicy policy = policy(100_000_000L, 0, List.of(ALICE), List.of(), "regtest");

    assertThat(policy.evaluate(pay(ALICE, 1_000), PolicyState.empty()).approved()).isTrue();
    PolicyDecision bob = policy.evaluate(pay(BOB, 1_000), PolicyState.empty());
    assertThat(bob.brokenRule()).contains(PolicyRule.NOT_ALLOW_LISTED);
    assertThat(bob.reason()).isEqualTo("recipient is not on the allow-list");
  }

  @Test
  void dailyLimitCountsWhatTheWalletAlreadySpent() {
    VotePolicy policy = policy(100_000_000L, 10_000, List.of(), List.of(), "regtest");

    assertThat(policy.evaluate(pay(ALICE, 4_000), new PolicyState(6_000)).approved()).isTrue();
    PolicyDecision over = policy.evaluate(pay(ALICE, 4_001), new PolicyState(6_000));
    assertThat(over.brokenRule()).contains(PolicyRule.DAILY_LIMIT);
    assertThat(over.reason())
        .isEqualTo(
            "amount 4001 sats on top of 6000 sats approved in the last 24 h exceeds the wallet's"
                + " daily limit of 10000 sats");
  }

  @Test
  void dailyLimitOfZeroIsOff() {
    assertThat(DEFAULTS.tracksDailySpend()).isFalse();
    assertThat(DEFAULTS.evaluate(pay(ALICE, 1_000), new PolicyState(Long.MAX_VALUE)).approved())
        .isTrue();
  }

  @Test
  void refusesMisconfiguration() {
    assertThatThrownBy(() -> policy(100, 0, List.of(), List.of(), "moonnet"))
        .hasMessageContaining("unknown network 'moonnet'");
    assertThatThrownBy(
            () ->
                policy(100, 0, List.of(Payments.address(Network.MAINNET, 1)), List.of(), "regtest"))
        .hasMessageContaining("mpcw.node.policy.allow-list");
    assertThatThrownBy(() -> new PolicyProperties(0, 0, List.of(), List.of(), "regtest", 100_000))
        .hasMessageContaining("max-amount-sats");
    assertThatThrownBy(() -> new PolicyProperties(1, -1, List.of(), List.of(), "regtest", 100_000))
        .hasMessageContaining("daily-limit-sats");
    assertThatThrownBy(() -> new PolicyProperties(1, 0, List.of(), List.of(), "regtest", -1))
        .hasMessageContaining("max-fee-sats");
  }
}
