package io.mpcw.orchestrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.orchestrator.metrics.OrchestrationMetrics;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateCountRefresherTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OrchestrationMetrics metrics = new OrchestrationMetrics(registry);
  private final StateCountProperties everyFewMillis =
      new StateCountProperties(Duration.ofMillis(20), Duration.ofMillis(20));
  private StateCountRefresher refresher;

  @AfterEach
  void stop() {
    if (refresher != null) {
      refresher.stop();
    }
  }

  private StateCountRefresher refresher(StateCountRefresher.Counter counter) {
    return new StateCountRefresher(counter, metrics, everyFewMillis);
  }

  private double gauge(TransactionState state) {
    return registry
        .get("orchestration_transactions")
        .tag("state", state.wireName())
        .gauge()
        .value();
  }

  @Test
  void bothCountsRunOnTheRefreshersOwnThreadAndStopWithIt() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch all = new CountDownLatch(1);
    refresher =
        refresher(
            sql -> {
              threads.add(Thread.currentThread().getName());
              (sql.equals(StateCountRefresher.ALL_SQL) ? all : inFlight).countDown();
              return Map.of(TransactionState.CONFIRMED, 7L);
            });

    refresher.start();

    assertThat(inFlight.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).containsExactly(StateCountRefresher.THREAD_NAME);
    assertThat(refresher.isRunning()).isTrue();
    refresher.stop();
    assertThat(refresher.isRunning()).isFalse();
  }

  @Test
  void aCountThatFailsLeavesTheGaugeAndTheNextCountSetsIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<Double> whenItFailed = new AtomicReference<>();
    metrics.stateCounts(Map.of(TransactionState.CONFIRMED, 3L), Set.of(TransactionState.CONFIRMED));
    refresher =
        refresher(
            sql -> {
              if (!sql.equals(StateCountRefresher.ALL_SQL)) {
                return Map.of();
              }
              if (calls.incrementAndGet() == 1) {
                whenItFailed.set(gauge(TransactionState.CONFIRMED));
                throw new IllegalStateException("database unavailable");
              }
              return Map.of(TransactionState.CONFIRMED, 11L);
            });

    refresher.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> gauge(TransactionState.CONFIRMED) == 11);
    assertThat(whenItFailed.get()).isEqualTo(3);
    assertThat(calls.get()).isGreaterThanOrEqualTo(2);
  }
}
