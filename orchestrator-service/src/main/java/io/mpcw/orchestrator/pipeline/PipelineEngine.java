package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.orchestrator.transaction.StateTransitions;
import io.mpcw.orchestrator.transaction.TransactionRecord;
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
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 * work whose lease expired. A stage that moves a payment into a state this engine serves, while
 * that stage has room, hands the claim over instead: the state change's UPDATE takes the new
 * stage's claim and the engine starts the stage with the moved row ({@code reserve}), with no
 * wake-up and no claim statement.
 *
 * <p>Each stage has its own {@code workers-per-stage} threads ({@link StageWorkers}), so a stage
 * stuck on slow nodes never takes another stage's workers. A stage that waits on the nodes through
 * {@link StageHandler#awaitFirst} holds no worker while it waits: its claim waits (at most {@code
 * awaiting-per-stage} of them), and when the wait is over it is queued for the stage's next free
 * worker, ahead of new claims of that stage. States are served latest first, and no new payment is
 * taken up (pending) while a later stage has work it has no free worker for: a backlog drains front
 * to back instead of growing at the front.
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
  private final OrchestrationMetrics metrics;
  private final WorkSignals signals;
  private final OutcomeApplication outcomes;
  private final StateTransitions transitions;
  private final Consumer<TransactionState> onSignal = this::workIn;

  /** Each stage's workers and bounds; made when the engine starts. */
  private StageWorkers workers;

  /** States that may have due work: set by signals, polls and full claims; cleared by a claim. */
  private final Set<TransactionState> marked = ConcurrentHashMap.newKeySet();

  private final Semaphore wake = new Semaphore(0);
  private final AtomicLong polls = new AtomicLong();

  /** The claims this engine holds now, by lease token: their leases are renewed meanwhile. */
  private final Map<String, UUID> held = new ConcurrentHashMap<>();

  /** Whether, at the dispatcher's last look, a later stage had work it had no worker for. */
  private volatile boolean backlogAhead;

  private volatile boolean running;
  private Thread dispatcher;
  private EngineTimers timers;

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
    this.metrics = metrics;
    metrics.claimsHeld(held::size);
    this.signals = signals;
    this.transitions = transitions;
    this.outcomes =
        new OutcomeApplication(
            owner,
            handlers,
            properties,
            claims,
            transitions,
            database,
            metrics,
            this::wakeAfter,
            this::reserve);
  }

  public String owner() {
    return owner;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    workers = new StageWorkers(servedStates, properties, owner, wake::release);
    timers =
        new EngineTimers(
            owner, properties, claims, metrics, servedStates, this::workIn, () -> Map.copyOf(held));
    signals.subscribe(onSignal);
    dispatcher = StageWorkers.daemon("pipeline-dispatch-" + owner).newThread(this::dispatchLoop);
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

  /** Whether new payments wait behind a later stage's backlog now; for tests. */
  boolean backlogAhead() {
    return backlogAhead;
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
      Semaphore free = workers.free(state);
      Queue<ClaimedTransaction> done = workers.ready(state);
      // work whose wait is over goes first: it holds a claim, and its answers are in
      while (!done.isEmpty() && free.tryAcquire()) {
        ClaimedTransaction claim = done.poll();
        if (claim == null) {
          free.release();
          break;
        }
        workers.run(state, () -> finish(claim));
      }
      if (!done.isEmpty()) {
        // a finishing worker wakes the dispatcher again
        backlog = true;
        continue;
      }
      if (state == TransactionState.PENDING) {
        backlogAhead = backlog;
      }
      if (!marked.contains(state)) {
        continue;
      }
      if (state == TransactionState.PENDING && backlog) {
        // stays marked: new payments wait until the later stages have workers for their work
        continue;
      }
      Semaphore inFlight = workers.awaiting(state);
      int idle = free.availablePermits();
      int want = Math.min(Math.min(idle, properties.batchSize()), inFlight.availablePermits());
      // The places are taken before the claim, never waited for after it: a hand-over (a move on
      // a worker thread, reserve()) may take one meanwhile, and a dispatcher blocked on a place
      // held by a claim whose wait is over — which only this dispatcher finishes — stops the
      // engine for good.
      int places = takePlaces(free, inFlight, want);
      if (places == 0) {
        // stays marked: a finishing worker (or a wait that ends) wakes the dispatcher again
        backlog = true;
        continue;
      }
      marked.remove(state);
      List<ClaimedTransaction> claimed;
      try {
        claimed = claims.claim(state, places, properties.leaseDuration(), owner);
      } catch (RuntimeException e) {
        log.warn("claiming {} work failed: {}", state.wireName(), e.toString());
        free.release(places);
        inFlight.release(places);
        marked.add(state);
        continue;
      }
      if (claimed.size() < places) {
        free.release(places - claimed.size());
        inFlight.release(places - claimed.size());
      }
      if (!claimed.isEmpty()) {
        metrics.claimed(state, "claimed", claimed.size());
        int tookOver = (int) claimed.stream().filter(ClaimedTransaction::tookOver).count();
        if (tookOver > 0) {
          // a lease that ran out and was claimed before the sweep cleared it
          metrics.leasesExpired(tookOver);
        }
      }
      if (claimed.size() == places) {
        // there may be more than one batch waiting
        marked.add(state);
        wake.release();
        backlog = backlog || places == idle;
      }
      for (ClaimedTransaction claim : claimed) {
        held.put(claim.leaseToken(), claim.tx().id());
        workers.run(state, () -> start(claim));
      }
    }
  }

  /** Up to {@code want} pairs of a free worker and an in-flight place, without waiting. */
  private static int takePlaces(Semaphore free, Semaphore inFlight, int want) {
    int taken = 0;
    while (taken < want && free.tryAcquire()) {
      if (!inFlight.tryAcquire()) {
        free.release();
        break;
      }
      taken++;
    }
    return taken;
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
    // a wait that never ended would hold the claim, and its renewed lease, for good: it ends at
    // the stage timeout at the latest, and the stage then handles what it has
    Duration longest =
        timeout
            .map(t -> t.minus(claim.timeWorking()))
            .filter(left -> !left.isNegative() && !left.isZero())
            .orElse(properties.leaseDuration());
    wait.get()
        .toCompletableFuture()
        .handle((result, failure) -> null)
        .completeOnTimeout(null, longest.toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(
            () -> {
              workers.ready(state).add(claim);
              wake.release();
            });
  }

  /** Handles the claim and applies the outcome; its place among the stage's claims is free then. */
  private void finish(ClaimedTransaction claim) {
    try {
      process(claim);
    } finally {
      workers.awaiting(claim.tx().state()).release();
      held.remove(claim.leaseToken());
    }
  }

  /**
   * Decides and applies the outcome for one claimed transaction ({@link OutcomeApplication}); here
   * too so a test can hand the engine a claim directly.
   */
  void process(ClaimedTransaction claim) {
    outcomes.process(claim);
  }

  /**
   * A worker and an in-flight place of {@code state}'s stage for a claim a move hands over, when
   * the stage has both free now, no finished wait queued ahead (those go first, as in {@link
   * #dispatch}) and is not marked: a marked state may hold payments that have waited there for a
   * worker, and a hand-over would take the freed worker ahead of them. Never blocks: otherwise the
   * move leaves the row to be claimed in its turn, oldest first.
   */
  private Optional<OutcomeApplication.Place> reserve(TransactionState state) {
    StageWorkers stages = workers;
    if (!running || stages == null || !handlers.containsKey(state)) {
      return Optional.empty();
    }
    if (!stages.ready(state).isEmpty() || marked.contains(state)) {
      return Optional.empty();
    }
    Semaphore free = stages.free(state);
    Semaphore inFlight = stages.awaiting(state);
    if (!free.tryAcquire()) {
      return Optional.empty();
    }
    if (!inFlight.tryAcquire()) {
      free.release();
      return Optional.empty();
    }
    return Optional.of(
        new OutcomeApplication.Place() {
          @Override
          public void start(ClaimedTransaction claim) {
            held.put(claim.leaseToken(), claim.tx().id());
            metrics.claimed(state, "handed_over", 1);
            try {
              stages.run(state, () -> PipelineEngine.this.start(claim));
            } catch (RejectedExecutionException stopping) {
              held.remove(claim.leaseToken());
              inFlight.release();
              free.release();
              giveUp(claim);
            }
          }

          @Override
          public void giveBack() {
            inFlight.release();
            free.release();
            // the dispatcher may have left the stage marked for want of this place
            wake.release();
          }
        });
  }

  /**
   * A place in the pending stage for a payment the API is about to store, on the terms of a
   * hand-over ({@link #reserve}: a free worker now, nobody waiting there), and only while no later
   * stage is short of workers: a new payment is not taken up ahead of a backlog, as in {@link
   * #dispatch}. Without a place the API stores the payment unclaimed and the dispatcher claims it
   * in its turn. When the pending stage has work on entry ({@link StageHandler#onEntry}: the voting
   * round opened) and the state it leads to has a place, the place is there instead: the API stores
   * the payment and moves it on in its own database transaction (pass-through).
   *
   * @param entering the payment as it is about to be stored
   */
  public Optional<NewPaymentPlace> reserveForNewPayment(TransactionRecord entering) {
    if (backlogAhead) {
      return Optional.empty();
    }
    StateTransitions.NextClaim claim =
        new StateTransitions.NextClaim(WorkClaims.newToken(owner), properties.leaseDuration());
    Optional<StageOutcome.AdvanceWith> work = outcomes.onEntry(entering, TransactionState.PENDING);
    if (work.isPresent()) {
      Optional<OutcomeApplication.Place> next = reserve(work.get().to());
      if (next.isPresent()) {
        StateTransitions.NextClaim nextClaim =
            new StateTransitions.NextClaim(WorkClaims.newToken(owner), properties.leaseDuration());
        return Optional.of(
            NewPaymentPlace.passingThrough(
                claim, nextClaim, next.get(), work.get(), transitions, "engine:" + owner));
      }
    }
    return reserve(TransactionState.PENDING).map(place -> new NewPaymentPlace(claim, place));
  }

  /** The engine stops before a handed-over claim could start: let another engine have it now. */
  private void giveUp(ClaimedTransaction claim) {
    try {
      claims.release(claim, Duration.ZERO);
    } catch (RuntimeException e) {
      log.debug("releasing {} failed; its lease will expire", claim.tx().id());
    }
  }

  /** A retry is due after {@code after}: look then rather than at the next poll. */
  private void wakeAfter(TransactionState state, Duration after) {
    EngineTimers scheduler = timers;
    if (scheduler != null && running) {
      scheduler.wakeAfter(state, after);
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
    timers.stop();
    workers.shutdown();
    try {
      dispatcher.join(10_000);
      workers.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    log.info("pipeline engine {} stopped", owner);
  }
}
