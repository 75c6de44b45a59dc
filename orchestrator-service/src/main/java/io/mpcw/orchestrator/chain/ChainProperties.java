package io.mpcw.orchestrator.chain;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chain the orchestrator pays on: bitcoind's JSON-RPC, or the chain simulator speaking it.
 *
 * @param rpcUrl JSON-RPC endpoint
 * @param rpcUser basic-auth user (empty for none)
 * @param rpcPassword basic-auth password
 * @param confirmations confirmations at which a payment is {@code confirmed}
 * @param settledConfirmations a confirmed payment is followed until its transaction has this many
 *     confirmations; a reorganisation that takes it below {@code confirmations} before then puts
 *     the payment back to {@code broadcasting} (deeper reorganisations are an operator's matter)
 * @param pollInterval how often the chain follower looks for new blocks (and the reorg watch for
 *     settled payments); a re-sent transaction is looked at again after this
 * @param confirmationRecheck a broadcast payment is looked at when the followed chain shows its
 *     block deep enough, and at the latest after this (a transaction dropped from the chain's
 *     mempool is found and sent again then)
 * @param requestTimeout one JSON-RPC call
 */
@ConfigurationProperties("mpcw.chain")
public record ChainProperties(
    @DefaultValue("http://127.0.0.1:18443") String rpcUrl,
    @DefaultValue("") String rpcUser,
    @DefaultValue("") String rpcPassword,
    @DefaultValue("1") int confirmations,
    @DefaultValue("6") int settledConfirmations,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("30s") Duration confirmationRecheck,
    @DefaultValue("30s") Duration requestTimeout) {

  public ChainProperties {
    if (confirmations < 1) {
      throw new IllegalArgumentException("mpcw.chain.confirmations must be at least 1");
    }
    if (settledConfirmations < confirmations) {
      throw new IllegalArgumentException(
          "mpcw.chain.settled-confirmations must be at least mpcw.chain.confirmations");
    }
  }

  @Override
  public String toString() {
    return "ChainProperties[rpcUrl="
        + rpcUrl
        + ", confirmations="
        + confirmations
        + ", settledConfirmations="
        + settledConfirmations
        + "]";
  }
}
