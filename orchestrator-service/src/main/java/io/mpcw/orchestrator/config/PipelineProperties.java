package io.mpcw.orchestrator.config;

import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pipeline engine.
 *
 * @param pollInterval how often each stage looks for due work
 * @param batchSize transactions claimed per stage and poll
 * @param leaseDuration how long a claim lasts before another engine may take the work over
 * @param sweepInterval how often expired leases are cleared
 * @param retryBackoff wait before a stage looks again at a transaction it could not finish
 * @param stageTimeouts per state (lowercase name): time in that state before the transaction fails;
 *     default pending 60 s, voting 30 s, approved 120 s, signing 60 s; none for signed and
 *     broadcasting (a signed transaction may already be on the network: it is never given up)
 * @param ownerId this engine's name in leases; empty for host name + random suffix
 */
@ConfigurationProperties("mpcw.pipeline")
public record PipelineProperties(
    @DefaultValue("200ms") Duration pollInterval,
    @DefaultValue("32") int batchSize,
    @DefaultValue("30s") Duration leaseDuration,
    @DefaultValue("5s") Duration sweepInterval,
    @DefaultValue("500ms") Duration retryBackoff,
    Map<String, Duration> stageTimeouts,
    @DefaultValue("") String ownerId) {

  public PipelineProperties {
    if (batchSize < 1) {
      throw new IllegalArgumentException("mpcw.pipeline.batch-size must be at least 1");
    }
    stageTimeouts = stageTimeouts == null ? DEFAULT_TIMEOUTS : Map.copyOf(stageTimeouts);
  }

  // Only stages that have a handler get a default: a timeout on a stage nothing works on would
  // fail payments that are merely waiting for it (an approved payment waits for signing).
  private static final Map<String, Duration> DEFAULT_TIMEOUTS =
      Map.of(
          "pending", Duration.ofSeconds(60),
          "voting", Duration.ofSeconds(30),
          "approved", Duration.ofSeconds(120),
          "signing", Duration.ofSeconds(60));

  /** Time a transaction may spend in {@code state}; empty when the stage has no limit. */
  public Optional<Duration> timeoutOf(TransactionState state) {
    return Optional.ofNullable(stageTimeouts.get(state.wireName()));
  }
}
