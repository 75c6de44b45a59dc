package io.mpcw.node.dkg;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Key generation on this node ({@code mpcw.node.dkg.*}).
 *
 * @param sessionTtl how long a started DKG keeps its secret round state in memory waiting for the
 *     next part
 */
@ConfigurationProperties("mpcw.node.dkg")
public record DkgProperties(@DefaultValue("2m") Duration sessionTtl) {

  public DkgProperties {
    if (sessionTtl.isNegative() || sessionTtl.isZero()) {
      throw new IllegalArgumentException("mpcw.node.dkg.session-ttl must be positive");
    }
  }
}
