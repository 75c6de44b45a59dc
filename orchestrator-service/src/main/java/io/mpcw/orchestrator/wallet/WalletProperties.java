package io.mpcw.orchestrator.wallet;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The wallet used when a payment names none, and how its key is generated in the background.
 *
 * @param defaultName its name
 * @param defaultThreshold signers needed for it
 * @param defaultParticipants how many nodes (the first active ones by node id) hold its key; 0
 *     means {@code mpcw.cluster.total-nodes}
 * @param keygenEnabled whether this orchestrator generates the default wallet's key at all
 * @param keygenInterval how often the background task looks whether the default wallet needs a key
 * @param keygenBackoffMin wait after the first failed DKG of the default wallet, doubled per
 *     failure
 * @param keygenBackoffMax the longest wait between two DKG attempts of the default wallet
 */
@ConfigurationProperties("mpcw.wallet")
public record WalletProperties(
    @DefaultValue("default") String defaultName,
    @DefaultValue("3") int defaultThreshold,
    @DefaultValue("0") int defaultParticipants,
    @DefaultValue("true") boolean keygenEnabled,
    @DefaultValue("3s") Duration keygenInterval,
    @DefaultValue("5s") Duration keygenBackoffMin,
    @DefaultValue("5m") Duration keygenBackoffMax) {

  public WalletProperties {
    if (defaultThreshold < 2) {
      throw new IllegalArgumentException("mpcw.wallet.default-threshold must be at least 2");
    }
    if (defaultParticipants != 0 && defaultParticipants < defaultThreshold) {
      throw new IllegalArgumentException(
          "mpcw.wallet.default-participants must be 0 or at least default-threshold");
    }
    if (keygenBackoffMax.compareTo(keygenBackoffMin) < 0) {
      throw new IllegalArgumentException(
          "mpcw.wallet.keygen-backoff-max must not be below keygen-backoff-min");
    }
  }

  /** Participants of the default wallet, with 0 resolved to the cluster size. */
  public int defaultParticipants(int totalNodes) {
    return defaultParticipants == 0 ? totalNodes : defaultParticipants;
  }
}
