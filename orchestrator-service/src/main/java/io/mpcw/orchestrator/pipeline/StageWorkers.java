package io.mpcw.orchestrator.pipeline;

import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.types.transaction.TransactionState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads and bounds {@link PipelineEngine} keeps per stage: its own workers (stages block on
 * the network, so a stage stuck on slow nodes never takes another stage's), how many of its claims
 * may wait on the nodes at once, and the claims whose wait is over. Apart from the engine because
 * the engine decides what to claim; this only says what room each stage has for it.
 */
final class StageWorkers {
  private final Map<TransactionState, Semaphore> freeWorkers =
      new EnumMap<>(TransactionState.class);
  private final Map<TransactionState, ExecutorService> workers =
      new EnumMap<>(TransactionState.class);

  /** Claims held while their stage waits on the network, per state: the in-flight bound. */
  private final Map<TransactionState, Semaphore> awaiting = new EnumMap<>(TransactionState.class);

  /** Claims whose wait is over, per state, for the stage's next free worker. */
  private final Map<TransactionState, Queue<ClaimedTransaction>> ready =
      new EnumMap<>(TransactionState.class);

  /** Called whenever a worker is free again: the dispatcher may have work for it. */
  private final Runnable onFree;

  StageWorkers(
      List<TransactionState> states, PipelineProperties properties, String owner, Runnable onFree) {
    this.onFree = onFree;
    for (TransactionState state : states) {
      freeWorkers.put(state, new Semaphore(properties.workersPerStage()));
      awaiting.put(state, new Semaphore(properties.awaitingPerStage()));
      ready.put(state, new ConcurrentLinkedQueue<>());
      workers.put(
          state,
          Executors.newFixedThreadPool(
              properties.workersPerStage(), daemon("pipeline-" + state.wireName() + "-" + owner)));
    }
  }

  Semaphore free(TransactionState state) {
    return freeWorkers.get(state);
  }

  Semaphore awaiting(TransactionState state) {
    return awaiting.get(state);
  }

  Queue<ClaimedTransaction> ready(TransactionState state) {
    return ready.get(state);
  }

  /** Runs work on a worker of the stage whose permit the caller holds; frees it when done. */
  void run(TransactionState state, Runnable work) {
    Semaphore free = freeWorkers.get(state);
    workers
        .get(state)
        .execute(
            () -> {
              try {
                work.run();
              } finally {
                free.release();
                onFree.run();
              }
            });
  }

  /** Takes no new work; what runs may finish. */
  void shutdown() {
    workers.values().forEach(ExecutorService::shutdown);
  }

  /** Waits for running work, interrupting a stage whose work outlasts the wait. */
  void awaitTermination() throws InterruptedException {
    for (ExecutorService pool : workers.values()) {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    }
  }

  void shutdownNow() {
    workers.values().forEach(ExecutorService::shutdownNow);
  }

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
