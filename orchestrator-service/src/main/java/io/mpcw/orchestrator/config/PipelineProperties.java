package io.mpcw.orchestrator.config;

import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pipeline engine.
 *
 * @param pollInterval how often each stage looks for due work it was not told about (retries whose
 *     wake-up was lost, work of a replica that died); committed transitions wake the next stage at
 *     once
 * @param batchSize transactions claimed per stage in one query; at most {@code workersPerStage}
 * @param workersPerStage threads per stage: a stage blocked on slow nodes holds only its own
 * @param leaseDuration how long a claim lasts without renewal before another engine may take the
 *     work over; an engine renews the claims it holds every third of it, so only a dead or cut-off
 *     engine's work changes hands
 * @param sweepInterval how often expired leases are cleared
 * @param retryBackoff wait before a stage looks again at a transaction it could not finish
 * @param stageTimeouts per state: time a stage may work on a transaction, counted from the first
 *     claim in that state (not from when it entered the state, so time queued behind other work
 *     never counts), and counted again from a claim that takes over a lease that ran out (the time
 *     an engine was dead is no work: with the default 30 s lease a payment in voting when its
 *     orchestrator was killed would otherwise fail at the takeover); entries are merged over the
 *     defaults pending 60 s, voting 30 s, approved 120 s, signing 60 s. Only those four states may
 *     have one: a signed transaction may already be on the network and is never given up; an
 *     unknown or terminal state is refused at start-up
 * @param ownerId this engine's name in leases; empty for host name, pid and a random suffix
 * @param awaitingPerStage claimed transactions a stage may have waiting on the network without a
 *     worker (a stage that starts requests and is called back when the answers are in, such as
 *     voting): the bound on its work in flight, since such a wait holds no thread. Keep it near
 *     what the nodes answer at once: a claim's stage timeout runs from its claim, so claims beyond
 *     that would wait inside the stage, on its clock (256 let half the votes time out at 10/s on a
 *     loaded machine), instead of unclaimed in the database
 */
@ConfigurationProperties("mpcw.pipeline")
public record PipelineProperties(
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("16") int batchSize,
    @DefaultValue("16") int workersPerStage,
    @DefaultValue("30s") Duration leaseDuration,
    @DefaultValue("5s") Duration sweepInterval,
    @DefaultValue("500ms") Duration retryBackoff,
    Map<TransactionState, Duration> stageTimeouts,
    @DefaultValue("") String ownerId,
    @DefaultValue("16") int awaitingPerStage) {

  /** With the default bound on work waiting on the network (16 per stage). */
  public PipelineProperties(
      Duration pollInterval,
      int batchSize,
      int workersPerStage,
      Duration leaseDuration,
      Duration sweepInterval,
      Duration retryBackoff,
      Map<TransactionState, Duration> stageTimeouts,
      String ownerId) {
    this(
        pollInterval,
        batchSize,
        workersPerStage,
        leaseDuration,
        sweepInterval,
        retryBackoff,
        stageTimeouts,
        ownerId,
        16);
  }

  /** The states a timeout may be set for: the ones that act before anything reaches the chain. */
  public static final Set<TransactionState> TIMED_STATES =
      EnumSet.of(
          TransactionState.PENDING,
          TransactionState.VOTING,
          TransactionState.APPROVED,
          TransactionState.SIGNING);

  @ConstructorBinding
  public PipelineProperties {
    if (awaitingPerStage < 1) {
      throw new IllegalArgumentException("mpcw.pipeline.awaiting-per-stage must be at least 1");
    }
    if (workersPerStage < 1) {
      throw new IllegalArgumentException("mpcw.pipeline.workers-per-stage must be at least 1");
    }
    if (batchSize < 1 || batchSize > workersPerStage) {
      throw new IllegalArgumentException(
          "mpcw.pipeline.batch-size must be between 1 and workers-per-stage ("
              + workersPerStage
              + ")");
    }
    Map<TransactionState, Duration> merged = new EnumMap<>(DEFAULT_TIMEOUTS);
    if (stageTimeouts != null) {
      stageTimeouts.forEach(
          (state, timeout) -> {
            if (!TIMED_STATES.contains(state)) {
              throw new IllegalArgumentException(
                  "mpcw.pipeline.stage-timeouts."
                      + state.wireName()
                      + ": only pending, voting, approved and signing may time out");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
              throw new IllegalArgumentException(
                  "mpcw.pipeline.stage-timeouts." + state.wireName() + " must be positive");
            }
            merged.put(state, timeout);
          });
    }
    stageTimeouts = Map.copyOf(merged);
  }

  private static final Map<TransactionState, Duration> DEFAULT_TIMEOUTS =
      Map.of(
          TransactionState.PENDING, Duration.ofSeconds(60),
          TransactionState.VOTING, Duration.ofSeconds(30),
          TransactionState.APPROVED, Duration.ofSeconds(120),
          TransactionState.SIGNING, Duration.ofSeconds(60));

  /** Time a stage may work on a transaction in {@code state}; empty when it has no limit. */
  public Optional<Duration> timeoutOf(TransactionState state) {
    return Optional.ofNullable(stageTimeouts.get(state));
  }
}
