package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives transactions through their stages: per state, claims due work, runs the stage's handler
 * (or fails the transaction when it has been in the state longer than the stage's timeout), and
 * applies the outcome together with its history row. Several engines may run on one database.
 */
public class PipelineEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PipelineEngine.class);
  private static final int WORKERS = 16;

  private final String owner;
  private final Map<TransactionState, StageHandler> handlers =
      new EnumMap<>(TransactionState.class);
  private final List<TransactionState> polledStates;
  private final PipelineProperties properties;
  private final WorkClaims claims;
  private final StateTransitions transitions;
  private final TransactionTemplate database;
  private final OrchestrationMetrics metrics;
  private final Semaphore freeWorkers = new Semaphore(WORKERS);
  private ScheduledExecutorService poller;
  private ExecutorService workers;

  public PipelineEngine(
      String owner,
      List<StageHandler> stageHandlers,
      PipelineProperties properties,
      WorkClaims claims,
      StateTransitions transitions,
      TransactionTemplate database,
      OrchestrationMetrics metrics) {
    this.owner = owner;
    stageHandlers.forEach(h -> handlers.put(h.stage(), h));
    List<TransactionState> states = new ArrayList<>();
    for (TransactionState state : TransactionState.values()) {
      if (handlers.containsKey(state) || properties.timeoutOf(state).isPresent()) {
        states.add(state);
      }
    }
    this.polledStates = List.copyOf(states);
    this.properties = properties;
    this.claims = claims;
    this.transitions = transitions;
    this.database = database;
    this.metrics = metrics;
  }

  public String owner() {
    return owner;
  }

  public synchronized void start() {
    if (poller != null) {
      return;
    }
    poller = Executors.newScheduledThreadPool(1, daemon("pipeline-poll-" + owner));
    workers = Executors.newFixedThreadPool(WORKERS, daemon("pipeline-work-" + owner));
    long interval = properties.pollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::pollOnce, 0, interval, TimeUnit.MILLISECONDS);
    poller.scheduleWithFixedDelay(
        this::sweep,
        properties.sweepInterval().toMillis(),
        properties.sweepInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("pipeline engine {} started for stages {}", owner, polledStates);
  }

  /** One round over every stage: claims as much due work as there are free workers. */
  void pollOnce() {
    for (TransactionState state : polledStates) {
      int free = Math.min(freeWorkers.availablePermits(), properties.batchSize());
      if (free == 0) {
        return;
      }
      try {
        List<ClaimedTransaction> claimed =
            claims.claim(state, free, properties.leaseDuration(), owner);
        for (ClaimedTransaction claim : claimed) {
          freeWorkers.acquireUninterruptibly();
          workers.execute(
              () -> {
                try {
                  process(claim);
                } finally {
                  freeWorkers.release();
                }
              });
        }
      } catch (RuntimeException e) {
        log.warn("claiming {} work failed: {}", state.wireName(), e.toString());
      }
    }
  }

  /** Decides and applies the outcome for one claimed transaction. */
  void process(ClaimedTransaction claim) {
    StageOutcome outcome = decide(claim);
    try {
      if (outcome instanceof StageOutcome.Advance advance) {
        boolean applied =
            Boolean.TRUE.equals(
                database.execute(
                    status -> {
                      advance.effect().run();
                      boolean ok =
                          transitions.apply(
                              claim.tx(),
                              advance.to(),
                              advance.reason(),
                              "engine:" + owner,
                              java.util.Optional.of(claim.leaseToken()));
                      if (!ok) {
                        status.setRollbackOnly();
                      }
                      return ok;
                    }));
        if (!applied) {
          log.info(
              "transaction {} changed or its lease was lost; {} → {} not applied",
              claim.tx().id(),
              claim.tx().state().wireName(),
              advance.to().wireName());
        }
      } else if (outcome instanceof StageOutcome.Retry retry) {
        claims.release(claim, retry.after());
      }
    } catch (RuntimeException e) {
      // e.g. an effect found its coins taken meanwhile: nothing was written; look again soon
      // instead of sitting on the lease until it expires
      log.warn("applying the outcome for {} failed: {}", claim.tx().id(), e.toString());
      try {
        claims.release(claim, properties.retryBackoff());
      } catch (RuntimeException releaseFailed) {
        log.debug("releasing {} failed; its lease will expire", claim.tx().id());
      }
    }
  }

  private StageOutcome decide(ClaimedTransaction claim) {
    TransactionState state = claim.tx().state();
    var timeout = properties.timeoutOf(state);
    StageHandler handler = handlers.get(state);
    if (timeout.isPresent()
        && claim.timeInState().compareTo(timeout.get()) >= 0
        && (handler == null || handler.mayTimeOut(claim))) {
      return new StageOutcome.Advance(
          TransactionState.FAILED,
          state.wireName() + " timed out after " + timeout.get().toSeconds() + " s");
    }
    if (handler == null) {
      Duration untilTimeout = timeout.orElseThrow().minus(claim.timeInState());
      return new StageOutcome.Retry(untilTimeout, "waiting for the stage timeout");
    }
    try {
      return handler.handle(claim);
    } catch (RuntimeException e) {
      metrics.stageError(state);
      log.warn(
          "{} stage failed for {}, will retry: {}",
          state.wireName(),
          claim.tx().id(),
          e.toString());
      return new StageOutcome.Retry(properties.retryBackoff(), e.getClass().getSimpleName());
    }
  }

  private void sweep() {
    try {
      int expired = claims.sweepExpired();
      if (expired > 0) {
        metrics.leasesExpired(expired);
        log.info("released {} expired leases", expired);
      }
    } catch (RuntimeException e) {
      log.warn("lease sweep failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (poller == null) {
      return;
    }
    poller.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    poller = null;
    log.info("pipeline engine {} stopped", owner);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
