package io.mpcw.node.fault;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fault switch, bound beside {@code NodeProperties} under the same prefix so it reads as {@code
 * mpcw.node.byzantine} without widening the registry's configuration.
 *
 * @param byzantine simulated fault: none, reject-all, wrong-digest, bad-signature, equivocate,
 *     silent, bad-share (signature shares that do not verify), slow-signer (signing answered late)
 *     or withhold-share (round 2 never answered) (env {@code MPCW_NODE_BYZANTINE}); refused unless
 *     the {@code fault-injection} profile is active
 * @param slowSignerDelay how long a slow-signer node holds each signing request before serving it
 *     (env {@code MPCW_NODE_SLOW_SIGNER_DELAY})
 */
@ConfigurationProperties("mpcw.node")
public record FaultProperties(
    @DefaultValue("none") ByzantineMode byzantine, @DefaultValue("2s") Duration slowSignerDelay) {

  public FaultProperties {
    if (slowSignerDelay.isNegative()) {
      throw new IllegalArgumentException("mpcw.node.slow-signer-delay must not be negative");
    }
  }
}
