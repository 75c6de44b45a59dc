package io.mpcw.node.signing;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Threshold signing on this node ({@code mpcw.node.signing.*}).
 *
 * @param minApprovals validly signed approvals of the exact payment this node requires in etcd
 *     before it signs: the cluster's vote threshold t (env {@code MPCW_MIN_APPROVALS})
 * @param sessionTtl how long round-1 nonces wait in memory for round 2 before they are erased
 * @param commitmentTtl how long the nonces of a pre-shared commitment wait in memory; longer than
 *     the orchestrator keeps one ({@code mpcw.signing.commitment-max-age})
 * @param pooledCommitments pre-shared commitments ({@code sign.precommit.v1}) kept per wallet; a
 *     new one beyond it evicts the wallet's oldest and erases its nonces
 */
@Validated
@ConfigurationProperties("mpcw.node.signing")
public record SigningProperties(
    @DefaultValue("4") @Min(1) int minApprovals,
    @DefaultValue("2m") Duration sessionTtl,
    @DefaultValue("10m") Duration commitmentTtl,
    @DefaultValue("64") @Min(1) int pooledCommitments) {

  public SigningProperties {
    if (sessionTtl.isNegative() || sessionTtl.isZero()) {
      throw new IllegalArgumentException("mpcw.node.signing.session-ttl must be positive");
    }
    if (commitmentTtl.isNegative() || commitmentTtl.isZero()) {
      throw new IllegalArgumentException("mpcw.node.signing.commitment-ttl must be positive");
    }
  }
}
