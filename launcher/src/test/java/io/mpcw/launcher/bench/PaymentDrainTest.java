package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mpcw.launcher.cluster.OrchestratorApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's wait reads the payments still short of its state, and the full list once. */
class PaymentDrainTest {
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();
  private HttpServer server;
  private OrchestratorApi api;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/transactions",
        exchange -> {
          String query = exchange.getRequestURI().getQuery();
          asked.add(query);
          String state =
              query.contains("state=") ? query.replaceAll(".*state=([a-z]+).*", "$1") : null;
          if ("pending".equals(state) && polls.incrementAndGet() == 2) {
            // the payment moves on between two polls
            states.put("tx-2", "signed");
          }
          StringBuilder items = new StringBuilder();
          states.forEach(
              (id, s) -> {
                if (state == null || state.equals(s)) {
                  items.append(items.isEmpty() ? "" : ",");
                  items.append(
                      "{\"id\":\""
                          + id
                          + "\",\"state\":\""
                          + s
                          + "\",\"created_at\":\""
                          + Instant.now()
                          + "\"}");
                }
              });
          byte[] body =
              ("{\"transactions\":[" + items + "],\"next_cursor\":null}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    api = new OrchestratorApi("http://127.0.0.1:" + server.getAddress().getPort(), "read-key");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void waitsWhileAPaymentIsShortOfTheStateAndReadsTheFullListOnlyAtTheEnd() {
    states.put("tx-1", "signed");
    states.put("tx-2", "voting");
    states.put("tx-3", "failed");

    Map<String, String> result =
        new PaymentDrain(api)
            .await(
                Set.of("tx-1", "tx-2", "tx-3"),
                Instant.now().minusSeconds(60),
                "signed",
                Duration.ofSeconds(30));

    assertThat(result)
        .containsEntry("tx-1", "signed")
        .containsEntry("tx-2", "signed")
        .containsEntry("tx-3", "failed");
    assertThat(asked.stream().filter(q -> !q.contains("state=")).count()).isEqualTo(1);
    assertThat(asked).anyMatch(q -> q.contains("state=signing"));
    assertThat(asked).noneMatch(q -> q.contains("state=broadcasting"));
  }

  @Test
  void untilConfirmedAlsoWaitsOnSignedAndBroadcastingPayments() {
    states.put("tx-1", "confirmed");

    Map<String, String> result =
        new PaymentDrain(api)
            .await(
                Set.of("tx-1"),
                Instant.now().minusSeconds(60),
                "confirmed",
                Duration.ofSeconds(30));

    assertThat(result).containsEntry("tx-1", "confirmed");
    assertThat(asked).anyMatch(q -> q.contains("state=broadcasting"));
    assertThat(asked).anyMatch(q -> q.contains("state=signed"));
  }

  @Test
  void aWaitThatEndsReportsWhereEachPaymentWas() {
    states.put("tx-9", "voting");

    Map<String, String> result =
        new PaymentDrain(api)
            .await(Set.of("tx-9"), Instant.now().minusSeconds(60), "signed", Duration.ZERO);

    assertThat(result).containsEntry("tx-9", "voting");
  }
}
