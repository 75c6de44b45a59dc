package io.mpcw.registry.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.registry.RegistryIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class LivenessSweepTest extends RegistryIntegrationTest {
  @Autowired LivenessSweeper sweeper;
  @Autowired MeterRegistry meters;

  @Test
  void nodeStaysActiveUntilTheSuspectThreshold() {
    register("node-1");
    clock.advance(Duration.ofMillis(9_999));

    assertThat(sweeper.sweep()).isZero();
    assertThat(statusOf("node-1")).isEqualTo("active");
  }

  @Test
  void silentNodeGoesSuspectThenDeadAndHeartbeatRevivesIt() {
    register("node-1");

    clock.advance(Duration.ofSeconds(10));
    assertThat(sweeper.sweep()).isEqualTo(1);
    assertThat(statusOf("node-1")).isEqualTo("suspect");

    clock.advance(Duration.ofSeconds(5));
    assertThat(sweeper.sweep()).isEqualTo(1);
    assertThat(statusOf("node-1")).isEqualTo("dead");

    clock.advance(Duration.ofSeconds(30));
    assertThat(heartbeat("node-1", 5, 0).status()).isEqualTo(200);
    assertThat(statusOf("node-1")).isEqualTo("active");
    assertThat(sweeper.sweep()).isZero();
    assertThat(statusOf("node-1")).isEqualTo("active");
  }

  @Test
  void nodeSilentPastBothThresholdsGoesStraightToDead() {
    register("node-1");
    clock.advance(Duration.ofSeconds(60));

    assertThat(sweeper.sweep()).isEqualTo(1);
    assertThat(statusOf("node-1")).isEqualTo("dead");
  }

  @Test
  void heartbeatsKeepANodeActive() {
    register("node-1");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(5));
      heartbeat("node-1", 1, 0);
      sweeper.sweep();
    }

    assertThat(statusOf("node-1")).isEqualTo("active");
  }

  @Test
  void reRegistrationRevivesADeadNode() {
    register("node-1");
    clock.advance(Duration.ofSeconds(20));
    sweeper.sweep();

    assertThat(register("node-1").status()).isEqualTo(200);
    assertThat(statusOf("node-1")).isEqualTo("active");
  }

  @Test
  void gaugeCountsNodesPerStatusWithAllThreeSeries() {
    sweeper.sweep();
    assertThat(gauge("active")).isZero();
    assertThat(gauge("suspect")).isZero();
    assertThat(gauge("dead")).isZero();

    register("node-1");
    clock.advance(Duration.ofSeconds(11));
    register("node-2");
    register("node-3");
    clock.advance(Duration.ofSeconds(5));
    heartbeat("node-3", 1, 0);
    sweeper.sweep();

    assertThat(gauge("active")).isEqualTo(2);
    assertThat(gauge("suspect")).isZero();
    assertThat(gauge("dead")).isEqualTo(1);
    String scrape = management("/actuator/prometheus").raw().body();
    assertThat(scrape)
        .contains("registry_nodes{application=\"registry-service\",status=\"active\"} 2.0")
        .contains("registry_nodes{application=\"registry-service\",status=\"suspect\"} 0.0")
        .contains("registry_nodes{application=\"registry-service\",status=\"dead\"} 1.0")
        .contains("registry_heartbeats_total");
  }

  @Test
  void heartbeatCounterCountsAcceptedAndUnknown() {
    double accepted = heartbeats("accepted");
    double unknown = heartbeats("unknown_node");
    register("node-1");

    heartbeat("node-1", 1, 0);
    heartbeat("node-1", 1, 0);
    heartbeat("node-2", 1, 0);

    assertThat(heartbeats("accepted") - accepted).isEqualTo(2);
    assertThat(heartbeats("unknown_node") - unknown).isEqualTo(1);
  }

  @Test
  void racingSweepsApplyEachTransitionExactlyOnce() throws Exception {
    int nodes = 12;
    for (int i = 0; i < nodes; i++) {
      register("node-" + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      clock.advance(Duration.ofSeconds(11));
      assertThat(raceSweeps(pool, 3)).isEqualTo(nodes);
      assertThat(statusCounts()).containsExactly("suspect:" + nodes);

      clock.advance(Duration.ofSeconds(5));
      assertThat(raceSweeps(pool, 3)).isEqualTo(nodes);
      assertThat(statusCounts()).containsExactly("dead:" + nodes);
      assertThat(gauge("dead")).isEqualTo(nodes);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void heartbeatRacingASweepIsNeverLost() throws Exception {
    register("node-1");
    clock.advance(Duration.ofSeconds(11));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Future<Integer> sweep =
          pool.submit(
              () -> {
                start.await();
                return sweeper.sweep();
              });
      Future<Integer> beat =
          pool.submit(
              () -> {
                start.await();
                return heartbeat("node-1", 1, 0).status();
              });
      start.countDown();
      sweep.get(10, TimeUnit.SECONDS);
      assertThat(beat.get(10, TimeUnit.SECONDS)).isEqualTo(200);

      // whichever ran first, the heartbeat is the last word: a sweep that read the old
      // heartbeat cannot match the row any more
      assertThat(statusOf("node-1")).isEqualTo("active");
    } finally {
      pool.shutdownNow();
    }
  }

  private int raceSweeps(ExecutorService pool, int sweeps) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < sweeps; i++) {
      Callable<Integer> sweep =
          () -> {
            start.await();
            return sweeper.sweep();
          };
      results.add(pool.submit(sweep));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> result : results) {
      total += result.get(20, TimeUnit.SECONDS);
    }
    return total;
  }

  private String statusOf(String nodeId) {
    return jdbc.sql("SELECT status FROM nodes WHERE node_id = :id")
        .param("id", nodeId)
        .query(String.class)
        .single();
  }

  private List<String> statusCounts() {
    return jdbc.sql("SELECT status || ':' || count(*) FROM nodes GROUP BY status")
        .query(String.class)
        .list();
  }

  private double gauge(String status) {
    return meters.get("registry.nodes").tag("status", status).gauge().value();
  }

  private double heartbeats(String outcome) {
    return meters.get("registry.heartbeats").tag("outcome", outcome).counter().count();
  }
}
