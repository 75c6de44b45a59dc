package io.mpcw.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The open-loop sender against a real HTTP server on loopback that answers slowly on purpose. */
class OpenLoopSenderTest {
  private static final int COUNT = 12;

  private HttpServer server;
  private ExecutorService handlers;
  private final CountDownLatch allArrived = new CountDownLatch(COUNT);
  private final AtomicInteger arrivals = new AtomicInteger();
  private final Map<String, String> keysSeen = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean answeredBeforeAllArrived =
      new java.util.concurrent.atomic.AtomicBoolean();

  @BeforeEach
  void start() throws Exception {
    handlers = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(handlers);
    server.createContext(
        "/api/v1/transactions",
        exchange -> {
          int n = arrivals.getAndIncrement();
          keysSeen.put(
              exchange.getRequestHeaders().getFirst("Idempotency-Key"),
              exchange.getRequestHeaders().getFirst("Authorization"));
          exchange.getRequestBody().readAllBytes();
          allArrived.countDown();
          try {
            // no answer leaves before every request has arrived: a sender that waited for
            // answers before sending the next would never get there
            if (!allArrived.await(3, TimeUnit.SECONDS)) {
              answeredBeforeAllArrived.set(true);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          int status;
          String body;
          if (n % 4 == 1) {
            status = 429;
            exchange.getResponseHeaders().add("Retry-After", "2");
            body = "{\"type\":\"urn:mpcw:problem:overloaded\",\"status\":429}";
          } else if (n % 4 == 2) {
            status = 503;
            body = "{\"type\":\"urn:mpcw:problem:unavailable\",\"status\":503}";
          } else {
            status = 201;
            body = "{\"id\":\"" + UUID.randomUUID() + "\",\"state\":\"pending\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  @Test
  void sendsEveryRequestOnScheduleWithoutWaitingForAnswers() {
    OpenLoopSender sender =
        new OpenLoopSender(
            URI.create(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/transactions"),
            "key-1",
            Duration.ofSeconds(30));
    try {
      List<OpenLoopSender.Sent> sent = sender.send(50, COUNT, "run", i -> "{\"i\":" + i + "}");

      assertThat(OpenLoopSender.awaitAnswers(sent, Duration.ofSeconds(30))).isZero();
      assertThat(answeredBeforeAllArrived).isFalse();
      assertThat(sent).extracting(OpenLoopSender.Sent::key).doesNotHaveDuplicates();
      assertThat(keysSeen.keySet())
          .containsExactlyInAnyOrderElementsOf(
              sent.stream().map(OpenLoopSender.Sent::key).toList());
      assertThat(keysSeen.values()).containsOnly("Bearer key-1");
    } finally {
      sender.close();
    }
  }

  @Test
  void tells429WithRetryAfterAndErrorsByTypeApartFromAcceptedPayments() {
    OpenLoopSender sender =
        new OpenLoopSender(
            URI.create(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/transactions"),
            "key-1",
            Duration.ofSeconds(30));
    try {
      List<OpenLoopSender.Sent> sent = sender.send(50, COUNT, "run", i -> "{}");
      OpenLoopSender.awaitAnswers(sent, Duration.ofSeconds(30));
      List<OpenLoopSender.Answer> answers =
          sent.stream().map(s -> s.answerNow().orElseThrow()).toList();

      assertThat(answers.stream().filter(OpenLoopSender.Answer::accepted)).hasSize(6);
      assertThat(answers.stream().filter(a -> a.status() == 429))
          .hasSize(3)
          .allSatisfy(a -> assertThat(a.retryAfter()).contains("2"));
      assertThat(
              answers.stream()
                  .filter(a -> !a.accepted() && a.status() != 429)
                  .collect(
                      Collectors.groupingBy(OpenLoopSender.Answer::reason, Collectors.counting())))
          .containsExactly(Map.entry("HTTP 503 urn:mpcw:problem:unavailable", 3L));
    } finally {
      sender.close();
    }
  }

  @Test
  void aRefusedConnectionIsAnErrorNamedByItsCause() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OpenLoopSender sender =
        new OpenLoopSender(
            URI.create("http://127.0.0.1:" + port + "/api/v1/transactions"),
            "key-1",
            Duration.ofSeconds(5));
    try {
      List<OpenLoopSender.Sent> sent = sender.send(10, 2, "run", i -> "{}");
      OpenLoopSender.awaitAnswers(sent, Duration.ofSeconds(20));

      assertThat(sent)
          .allSatisfy(
              s -> {
                OpenLoopSender.Answer a = s.answerNow().orElseThrow();
                assertThat(a.accepted()).isFalse();
                assertThat(a.status()).isZero();
                assertThat(a.reason()).isEqualTo("ConnectException");
              });
    } finally {
      sender.close();
    }
  }
}
