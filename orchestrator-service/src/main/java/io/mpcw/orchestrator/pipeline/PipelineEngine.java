package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.WorkSignals;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives transactions through their stages: claims due work, runs the stage's handler (or fails the
 * transaction when the stage has worked on it longer than its timeout), and applies the outcome
 * together with its history row. Several engines may run on one database.
 *
 * <p>Event-driven: a committed state change ({@link WorkSignals}, and other replicas' through
 * {@link WorkNotifications}) marks its state as having work and wakes one dispatcher thread, which
 * claims only for marked states. A stage that retries is marked again when its wait is over.
 * Polling every state each {@code poll-interval} remains the safety net for a lost wake-up and for
 * work whose lease expired.
 *
 * <p>Each stage has its own {@code workers-per-stage} threads (stages block on the network), so a
 * stage stuck on slow nodes never takes another stage's workers. A stage that waits on the nodes
 * through {@link StageHandler#awaitFirst} holds no worker while it waits: its claim waits (at most
 * {@code awaiting-per-stage} of them), and when the wait is over it is queued for the stage's next
 * free worker, ahead of new claims of that stage. States are served latest first, and no new
 * payment is taken up (pending) while a later stage has work it has no free worker for: a backlog
 * drains front to back instead of growing at the front.
 */
public class PipelineEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PipelineEngine.class);

  private final String owner;
  private final Map<TransactionState, StageHandler> handlers =
      new EnumMap<>(TransactionState.class);

  /** The states this engine has a handler for, latest in the pipeline first. */
  private final List<TransactionState> servedStates;

  private final PipelineProperties properties;
  private final WorkClaims claims;
  private final StateTransitions transitions;
  private final TransactionTemplate database;
  private final OrchestrationMetrics metrics;
  private final WorkSignals signals;
  private final Consumer<TransactionState> onSignal = this::workIn;

  private final Map<TransactionState, Semaphore> freeWorkers =
      new EnumMap<>(TransactionState.class);
  private final Map<TransactionState, ExecutorService> workers =
      new EnumMap<>(TransactionState.class);

  /** Claims held while their stage waits on the network, per state: the in-flight bound. */
  private final Map<TransactionState, Semaphore> awaiting = new EnumMap<>(TransactionState.class);

  /** Claims whose wait is over, per state, for the stage's next free worker. */
  private final Map<TransactionState, Queue<ClaimedTransaction>> ready =
      new EnumMap<>(TransactionState.class);

  /** States that may have due work: set by signals, polls and full claims; cleared by a claim. */
  private final Set<TransactionState> marked = ConcurrentHashMap.newKeySet();

  private final Semaphore wake = new Semaphore(0);
  private final AtomicLong polls = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger held =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean running;
  private Thread dispatcher;
  private ScheduledExecutorService timers;

  public PipelineEngine(
      String owner,
      List<StageHandler> stageHandlers,
      PipelineProperties properties,
      WorkClaims claims,
      StateTransitions transitions,
      TransactionTemplate database,
      OrchestrationMetrics metrics,
      WorkSignals signals) {
    this.owner = owner;
    stageHandlers.forEach(h -> handlers.put(h.stage(), h));
    List<TransactionState> states = new ArrayList<>(handlers.keySet());
    Collections.reverse(states);
    this.servedStates = List.copyOf(states);
    this.properties = properties;
    this.claims = claims;
    this.transitions = transitions;
    this.database = database;
    this.metrics = metrics;
    metrics.claimsHeld(held::get);
    this.signals = signals;
  }

  public String owner() {
    return owner;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (TransactionState state : servedStates) {
      freeWorkers.put(state, new Semaphore(properties.workersPerStage()));
      awaiting.put(state, new Semaphore(properties.awaitingPerStage()));
      ready.put(state, new ConcurrentLinkedQueue<>());
      workers.put(
          state,
          Executors.newFixedThreadPool(
              properties.workersPerStage(), daemon("pipeline-" + state.wireName() + "-" + owner)));
    }
    timers = Executors.newSingleThreadScheduledExecutor(daemon("pipeline-timer-" + owner));
    timers.scheduleWithFixedDelay(
        this::sweep,
        properties.sweepInterval().toMillis(),
        properties.sweepInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    signals.subscribe(onSignal);
    dispatcher = daemon("pipeline-dispatch-" + owner).newThread(this::dispatchLoop);
    dispatcher.start();
    log.info("pipeline engine {} started for stages {}", owner, servedStates);
  }

  /** Work may be due in {@code state}: claim it at once if this engine serves the state. */
  void workIn(TransactionState state) {
    if (handlers.containsKey(state)) {
      marked.add(state);
      wake.release();
    }
  }

  /** How many full polls (every state) this engine has made; for tests of the wake-up path. */
  long polls() {
    return polls.get();
  }

  private void dispatchLoop() {
    long pollNanos = properties.pollInterval().toNanos();
    long nextPoll = System.nanoTime();
    while (running) {
      try {
        long wait = nextPoll - System.nanoTime();
        if (wait <= 0) {
          marked.addAll(servedStates);
          polls.incrementAndGet();
          nextPoll = System.nanoTime() + pollNanos;
        } else if (!wake.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
          continue;
        }
        wake.drainPermits();
        dispatch();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("pipeline dispatch failed: {}", e.toString());
      }
    }
  }

  /** One round, latest state first, over the states marked as having work. */
  private void dispatch() {
    boolean backlog = false;
    for (TransactionState state : servedStates) {
      Semaphore free = freeWorkers.get(state);
      Queue<ClaimedTransaction> done = ready.get(state);
      // work whose wait is over goes first: it holds a claim, and its answers are in
      while (!done.isEmpty() && free.tryAcquire()) {
        ClaimedTransaction claim = done.poll();
        if (claim == null) {
          free.release();
          break;
        }
        runOnWorker(state, free, () -> finish(claim));
      }
      if (!done.isEmpty()) {
        // a finishing worker wakes the dispatcher again
        backlog = true;
        continue;
      }
      if (!marked.contains(state)) {
        continue;
      }
      if (state == TransactionState.PENDING && backlog) {
        // stays marked: new payments wait until the later stages have workers for their work
        continue;
      }
      Semaphore inFlight = awaiting.get(state);
      int idle = free.availablePermits();
      int want = Math.min(Math.min(idle, properties.batchSize()), inFlight.availablePermits());
      if (want == 0) {
        // stays marked: a finishing worker (or a wait that ends) wakes the dispatcher again
        backlog = true;
        continue;
      }
      marked.remove(state);
      List<ClaimedTransaction> claimed;
      try {
        claimed = claims.claim(state, want, properties.leaseDuration(), owner);
      } catch (RuntimeException e) {
        log.warn("claiming {} work failed: {}", state.wireName(), e.toString());
        marked.add(state);
        continue;
      }
      if (claimed.size() == want) {
        // there may be more than one batch waiting
        marked.add(state);
        wake.release();
        backlog = backlog || want == idle;
      }
      for (ClaimedTransaction claim : claimed) {
        free.acquireUninterruptibly();
        inFlight.acquireUninterruptibly();
        held.incrementAndGet();
        runOnWorker(state, free, () -> start(claim));
      }
    }
  }

  private void runOnWorker(TransactionState state, Semaphore free, Runnable work) {
    workers
        .get(state)
        .execute(
            () -> {
              try {
                work.run();
              } finally {
                free.release();
                wake.release();
              }
            });
  }

  /**
   * Starts the stage's wait, if it has one, and lets the worker go; handles the claim at once
   * otherwise (or when its stage timeout is up: {@link #process} decides then).
   */
  private void start(ClaimedTransaction claim) {
    TransactionState state = claim.tx().state();
    Optional<CompletionStage<?>> wait = Optional.empty();
    Optional<Duration> timeout = properties.timeoutOf(state);
    // past its time no request goes out; process() then asks the stage whether it may fail it
    if (timeout.isEmpty() || claim.timeWorking().compareTo(timeout.get()) < 0) {
      try {
        wait = handlers.get(state).awaitFirst(claim);
      } catch (RuntimeException e) {
        // handle() meets the same trouble and answers it (a retry)
        log.debug(
            "{} wait for {} not started: {}", state.wireName(), claim.tx().id(), e.toString());
      }
    }
    if (wait.isEmpty() || wait.get().toCompletableFuture().isDone()) {
      finish(claim);
      return;
    }
    wait.get()
        .whenComplete(
            (result, failure) -> {
              ready.get(state).add(claim);
              wake.release();
            });
  }

  /** Handles the claim and applies the outcome; its place among the stage's claims is free then. */
  private void finish(ClaimedTransaction claim) {
    try {
      process(claim);
    } finally {
      awaiting.get(claim.tx().state()).release();
      held.decrementAndGet();
    }
  }

  /** Decides and applies the outcome for one claimed transaction. */
  void process(ClaimedTransaction claim) {
    StageOutcome outcome = decide(claim);
    try {
      if (outcome instanceof StageOutcome.Advance advance) {
        advance(
            claim,
            advance.to(),
            () -> {
              advance.effect().run();
              return advance.reason();
            });
      } else if (outcome instanceof StageOutcome.AdvanceWith advance) {
        advance(claim, advance.to(), advance.effect());
      } else if (outcome instanceof StageOutcome.Retry retry) {
        if (claims.release(claim, retry.after())) {
          wakeAfter(claim.tx().state(), retry.after());
        } else {
          metrics.staleResultRefused(claim.tx().state(), "retry");
          log.info(
              "retry of {} in {} refused: the lease was lost",
              claim.tx().id(),
              claim.tx().state().wireName());
        }
      }
    } catch (RuntimeException e) {
      // e.g. the database failed mid-transition, or an effect found no coin free: nothing was
      // written; look again soon instead of sitting on the lease until it expires
      log.warn("applying the outcome for {} failed: {}", claim.tx().id(), e.toString());
      try {
        if (claims.release(claim, properties.retryBackoff())) {
          wakeAfter(claim.tx().state(), properties.retryBackoff());
        } else {
          metrics.staleResultRefused(claim.tx().state(), "retry");
        }
      } catch (RuntimeException releaseFailed) {
        log.debug("releasing {} failed; its lease will expire", claim.tx().id());
      }
    }
  }

  /** Runs the effect and the state change in one database transaction. */
  private void advance(ClaimedTransaction claim, TransactionState to, Supplier<String> effect) {
    boolean applied =
        Boolean.TRUE.equals(
            database.execute(
                status -> {
                  String reason = effect.get();
                  boolean ok =
                      transitions.apply(
                          claim.tx(),
                          to,
                          reason,
                          "engine:" + owner,
                          Optional.of(claim.leaseToken()));
                  if (!ok) {
                    status.setRollbackOnly();
                  }
                  return ok;
                }));
    if (!applied) {
      metrics.staleResultRefused(claim.tx().state(), "transition");
      log.info(
          "transaction {} changed or its lease was lost; {} → {} refused",
          claim.tx().id(),
          claim.tx().state().wireName(),
          to.wireName());
    }
  }

  /** A retry is due after {@code after}: look then rather than at the next poll. */
  private void wakeAfter(TransactionState state, Duration after) {
    ScheduledExecutorService scheduler = timers;
    if (scheduler == null || !running) {
      return;
    }
    try {
      // a little late rather than early: the database clock decides when the row is due
      scheduler.schedule(() -> workIn(state), after.toMillis() + 5, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      log.debug("engine stopping; {} retry left to the next engine's poll", state.wireName());
    }
  }

  private StageOutcome decide(ClaimedTransaction claim) {
    TransactionState state = claim.tx().state();
    Optional<Duration> timeout = properties.timeoutOf(state);
    StageHandler handler = handlers.get(state);
    if (timeout.isPresent()
        && claim.timeWorking().compareTo(timeout.get()) >= 0
        && handler.mayTimeOut(claim)) {
      return new StageOutcome.Advance(
          TransactionState.FAILED,
          state.wireName() + " timed out after " + timeout.get().toSeconds() + " s");
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
        servedStates.forEach(this::workIn);
      }
    } catch (RuntimeException e) {
      log.warn("lease sweep failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    signals.unsubscribe(onSignal);
    dispatcher.interrupt();
    timers.shutdownNow();
    workers.values().forEach(ExecutorService::shutdown);
    try {
      dispatcher.join(10_000);
      for (ExecutorService pool : workers.values()) {
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.values().forEach(ExecutorService::shutdownNow);
    }
    log.info("pipeline engine {} stopped", owner);
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
