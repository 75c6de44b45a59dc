package io.mpcw.node.peer;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Peer mode: how the node keeps its membership while the registry is down ({@code
 * mpcw.node.peer.*}).
 *
 * @param enterAfterFailures unreachable registry attempts in a row before peer mode starts
 * @param exchangeInterval pause between two rounds of peer-list exchanges in peer mode
 * @param requestDeadline how long one exchange with one peer may take (connection included)
 * @param suspectAfter a peer not heard from for this long is suspect (still admitted)
 * @param deadAfter a peer not heard from for this long is dead and no longer admitted
 * @param maxEntries most entries accepted in one peer list; a longer list is refused whole
 */
@Validated
@ConfigurationProperties("mpcw.node.peer")
public record PeerProperties(
    @DefaultValue("2") @Min(1) int enterAfterFailures,
    @DefaultValue("3s") Duration exchangeInterval,
    @DefaultValue("2s") Duration requestDeadline,
    @DefaultValue("10s") Duration suspectAfter,
    @DefaultValue("15s") Duration deadAfter,
    @DefaultValue("256") @Min(1) @Max(4096) int maxEntries) {

  public PeerProperties {
    requirePositive(exchangeInterval, "exchange-interval");
    requirePositive(requestDeadline, "request-deadline");
    requirePositive(suspectAfter, "suspect-after");
    if (deadAfter.compareTo(suspectAfter) <= 0) {
      throw new IllegalArgumentException(
          "mpcw.node.peer.dead-after must be longer than suspect-after");
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("mpcw.node.peer." + name + " must be positive");
    }
  }
}
