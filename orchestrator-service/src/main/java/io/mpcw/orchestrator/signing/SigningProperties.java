package io.mpcw.orchestrator.signing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the orchestrator runs FROST signing.
 *
 * @param requestDeadline one request to one node (a precommit or a round 2)
 * @param retryDelay pause before a new attempt after a failed one
 * @param commitmentPool pre-shared commitments kept per (node, wallet); below the nodes' own bound
 *     ({@code mpcw.node.signing.pooled-commitments}, 64), else they evict what is pooled here
 * @param commitmentLowWater a pool below this is refilled in the background
 * @param siblingGrace how long a session that can still complete runs before ROAST starts a sibling
 *     session with other ready signers: with honest signers one session suffices (no doubled
 *     signing work); a failed signer ends the grace at once; 0 is plain ROAST. This is the least
 *     ceiling: see {@code siblingGraceMax} and {@code stragglerFactor}
 * @param siblingGraceMax the ceiling follows the cluster's recent signing speed: {@code
 *     stragglerFactor} times the typical recent signing round trip (the median of the nodes'
 *     signing averages) when that is longer than {@code siblingGrace}, but never longer than this,
 *     so that a wedged cluster still tries a sibling. A fixed ceiling fed back on load: once no
 *     signer answered within it, every payment signed twice. Keep it below {@code requestDeadline}
 *     (a silent signer's failure ends the grace then anyway) and the signing stage timeout
 * @param commitmentMaxAge pooled commitments older than this are not used: shorter than the nodes
 *     keep their nonces ({@code mpcw.node.signing.commitment-ttl}, 10 minutes)
 * @param stragglerFactor once some signers of a session answered, the rest get this many times the
 *     slowest answer so far (at least {@code stragglerFloor}) before a sibling session starts: the
 *     grace follows the round-2 time actually observed, so a slow signer costs a payment about five
 *     round trips, not the whole grace. Five, not three: on a saturated machine an honest signer's
 *     answer often took more than three times its peers' (their requests left in other exchanges
 *     and were served in another order), and each needless sibling is a second round 2 for the
 *     payment (docs/benchmarks.md, twelfth round)
 * @param stragglerFloor the least a late signer is given, so that scheduling noise on a busy
 *     machine does not start needless siblings
 * @param signerLatencyMemory how long a node's signing round trip decides its score before its vote
 *     round trips do again (a signer found slow is tried again after this)
 * @param coalesce one round-2 exchange in flight per node, the requests that come meanwhile sent
 *     together as one {@code sign.share.batch.v1} (false: every request sent at once, alone, as for
 *     nodes that do not serve batches)
 */
@ConfigurationProperties("mpcw.signing")
public record SigningProperties(
    @DefaultValue("5s") Duration requestDeadline,
    @DefaultValue("100ms") Duration retryDelay,
    @DefaultValue("8") int commitmentPool,
    @DefaultValue("4") int commitmentLowWater,
    @DefaultValue("5m") Duration commitmentMaxAge,
    @DefaultValue("300ms") Duration siblingGrace,
    @DefaultValue("3s") Duration siblingGraceMax,
    @DefaultValue("5") double stragglerFactor,
    @DefaultValue("30ms") Duration stragglerFloor,
    @DefaultValue("30s") Duration signerLatencyMemory,
    @DefaultValue("true") boolean coalesce) {

  public SigningProperties {
    if (commitmentPool < 1 || commitmentLowWater < 0 || commitmentLowWater > commitmentPool) {
      throw new IllegalArgumentException(
          "mpcw.signing.commitment-pool must be positive and at least the low-water mark");
    }
    if (siblingGrace.isNegative() || siblingGraceMax.isNegative()) {
      throw new IllegalArgumentException(
          "mpcw.signing.sibling-grace and sibling-grace-max must not be negative");
    }
    if (stragglerFactor < 1) {
      throw new IllegalArgumentException("mpcw.signing.straggler-factor must be at least 1");
    }
  }
}
