package io.mpcw.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.registry.liveness.LivenessSweeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two registry replicas on one database, as behind a load balancer: the registry keeps no state of
 * its own, so a node may register with one and heartbeat with the other, and both answer the same
 * list; their liveness sweeps may run at the same moment without moving a node twice.
 */
class RegistryReplicasTest extends RegistryIntegrationTest {
  private static ConfigurableApplicationContext second;

  @Autowired LivenessSweeper sweeper;

  private int secondPort;
  private MutableClock secondClock;

  @BeforeEach
  void startSecondReplica() {
    if (second == null) {
      second =
          // as arguments: they must win over application.yml, as for a second real process
          new SpringApplicationBuilder(RegistryApplication.class, TestClock.class)
              .run(
                  "--server.port=0",
                  "--management.server.port=0",
                  "--mpcw.registry.sweep-interval=1h",
                  "--spring.datasource.url=" + PG.jdbcUrl(),
                  "--spring.datasource.username=" + PG.username(),
                  "--spring.datasource.password=" + PG.password(),
                  "--mpcw.pki.dir=" + PKI.directory());
    }
    secondPort = Integer.parseInt(second.getEnvironment().getRequiredProperty("local.server.port"));
    secondClock = second.getBean(MutableClock.class);
    secondClock.set(START);
  }

  @AfterAll
  static void stopSecondReplica() {
    if (second != null) {
      second.close();
      second = null;
    }
  }

  @Test
  void nodeRegisteredWithOneReplicaHeartbeatsWithTheOtherAndBothListIt() {
    assertThat(register("node-1").status()).isEqualTo(201);

    Response beat =
        sendTo(
            secondPort,
            "PUT",
            "/api/v1/cluster/nodes/node-1/heartbeat",
            "{\"cpu_load\":33.0,\"in_flight_sessions\":2}");

    assertThat(beat.status()).isEqualTo(200);
    assertThat(list().body().at("/nodes/0/cpu_load").asDouble()).isEqualTo(33.0);
    assertThat(sendTo(secondPort, "GET", "/api/v1/cluster/nodes", null).body().get("nodes"))
        .isEqualTo(list().body().get("nodes"));
  }

  @Test
  void nodeDeregisteredThroughOneReplicaIsGoneFromBoth() {
    register("node-1");

    assertThat(sendTo(secondPort, "DELETE", "/api/v1/cluster/nodes/node-1", null).status())
        .isEqualTo(204);

    assertThat(list().body().get("nodes")).isEmpty();
    assertThat(sendTo(secondPort, "GET", "/api/v1/cluster/nodes", null).body().get("nodes"))
        .isEmpty();
  }

  @Test
  void sweepsOfBothReplicasAtOnceMoveEveryNodeExactlyOnce() throws Exception {
    int nodes = 10;
    for (int i = 0; i < nodes; i++) {
      register("node-" + i);
    }
    LivenessSweeper other = second.getBean(LivenessSweeper.class);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      clock.advance(Duration.ofSeconds(11));
      secondClock.advance(Duration.ofSeconds(11));
      assertThat(race(pool, List.of(sweeper::sweep, other::sweep))).isEqualTo(nodes);
      assertThat(count("suspect")).isEqualTo(nodes);

      clock.advance(Duration.ofSeconds(5));
      secondClock.advance(Duration.ofSeconds(5));
      assertThat(race(pool, List.of(other::sweep, sweeper::sweep))).isEqualTo(nodes);
      assertThat(count("dead")).isEqualTo(nodes);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int race(ExecutorService pool, List<Callable<Integer>> sweeps) throws Exception {
    List<Future<Integer>> results = new ArrayList<>();
    for (Callable<Integer> sweep : sweeps) {
      results.add(pool.submit(sweep));
    }
    int moved = 0;
    for (Future<Integer> result : results) {
      moved += result.get();
    }
    return moved;
  }

  private long count(String status) {
    return jdbc.sql("SELECT count(*) FROM nodes WHERE status = ?")
        .param(status)
        .query(Long.class)
        .single();
  }
}
