package io.mpcw.node.policy;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this node approves ({@code mpcw.node.policy.*}); each node of a cluster may differ.
 *
 * @param maxAmountSats largest single payment approved, in satoshis
 * @param dailyLimitSats most a wallet may pay within a rolling 24 h, in satoshis; 0 turns it off
 * @param allowList recipients approved; empty means any recipient
 * @param denyList recipients always rejected, even when allow-listed
 * @param network Bitcoin network recipients must belong to (mainnet, testnet, signet, regtest)
 * @param maxFeeSats largest absolute fee this node co-signs, in satoshis (env {@code
 *     MPCW_MAX_FEE_SATS})
 */
@ConfigurationProperties("mpcw.node.policy")
public record PolicyProperties(
    @DefaultValue("100000000") long maxAmountSats,
    @DefaultValue("0") long dailyLimitSats,
    @DefaultValue List<String> allowList,
    @DefaultValue List<String> denyList,
    @DefaultValue("regtest") String network,
    @DefaultValue("100000") long maxFeeSats) {

  public PolicyProperties {
    if (maxAmountSats <= 0) {
      throw new IllegalArgumentException("mpcw.node.policy.max-amount-sats must be positive");
    }
    if (dailyLimitSats < 0) {
      throw new IllegalArgumentException(
          "mpcw.node.policy.daily-limit-sats must be 0 (off) or positive");
    }
    if (maxFeeSats < 0) {
      throw new IllegalArgumentException("mpcw.node.policy.max-fee-sats must not be negative");
    }
    allowList = List.copyOf(allowList);
    denyList = List.copyOf(denyList);
  }
}
