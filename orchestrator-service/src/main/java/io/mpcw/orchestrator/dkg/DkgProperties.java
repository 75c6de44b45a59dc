package io.mpcw.orchestrator.dkg;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the orchestrator coordinates a distributed key generation.
 *
 * @param requestDeadline how long one DKG request to one node may take
 * @param deadline how long a whole DKG (three rounds) may take
 */
@ConfigurationProperties("mpcw.dkg")
public record DkgProperties(
    @DefaultValue("5s") Duration requestDeadline, @DefaultValue("30s") Duration deadline) {

  public DkgProperties {
    if (requestDeadline.isNegative()
        || requestDeadline.isZero()
        || deadline.compareTo(requestDeadline) < 0) {
      throw new IllegalArgumentException(
          "mpcw.dkg.request-deadline must be positive and at most mpcw.dkg.deadline");
    }
  }
}
