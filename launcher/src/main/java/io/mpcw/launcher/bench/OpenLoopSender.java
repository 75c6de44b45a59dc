package io.mpcw.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends POSTs at a fixed arrival rate whatever the answers: one thread waits for each send's due
 * time and hands the request to an asynchronous HTTP client, so a slow answer never delays the next
 * send (an open loop; a closed loop would offer only what the system takes and hide its collapse).
 * A send that leaves more than {@link #LATE} after its due time is counted as late.
 */
final class OpenLoopSender {
  /** How late a send may leave and still count as on time. */
  static final Duration LATE = Duration.ofMillis(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request as sent and, once it came, its answer.
   *
   * @param index the send's number, from 0
   * @param key its {@code Idempotency-Key}
   * @param lateNanos how long after its due time it left
   * @param sentAt wall-clock time it left
   */
  record Sent(
      int index, String key, long lateNanos, Instant sentAt, CompletableFuture<Answer> answer) {
    Optional<Answer> answerNow() {
      return Optional.ofNullable(answer.getNow(null));
    }
  }

  /**
   * What came back: an HTTP status with body and {@code Retry-After}, or the failure's name when no
   * answer came (status 0).
   */
  record Answer(
      int status, JsonNode body, Optional<String> retryAfter, String failure, long nanos) {
    boolean accepted() {
      return status == 201 || status == 200;
    }

    /** Why the request did not create a payment, in a few words to group by. */
    String reason() {
      if (status == 0) {
        return failure;
      }
      String type = body.path("type").asText("");
      return "HTTP " + status + (type.isEmpty() ? "" : " " + type);
    }
  }

  private final URI uri;
  private final String apiKey;
  private final Duration requestTimeout;
  private final ExecutorService callbacks;
  private final HttpClient http;

  OpenLoopSender(URI uri, String apiKey, Duration requestTimeout) {
    this.uri = uri;
    this.apiKey = apiKey;
    this.requestTimeout = requestTimeout;
    this.callbacks =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "open-loop-http");
              t.setDaemon(true);
              return t;
            });
    // HTTP/1.1: the orchestrator speaks no h2c, and an upgrade attempt would cost every request
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(callbacks)
            .build();
  }

  /**
   * Sends {@code count} requests at {@code ratePerSecond}, the i-th with body {@code body(i)} and
   * {@code Idempotency-Key} {@code keyPrefix-i}; returns when the last has been handed over (the
   * answers complete later).
   */
  List<Sent> send(double ratePerSecond, int count, String keyPrefix, IntFunction<String> body) {
    long interval = Math.round(1e9 / ratePerSecond);
    long start = System.nanoTime();
    List<Sent> sent = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long due = start + i * interval;
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(due - now);
      }
      String key = keyPrefix + "-" + i;
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(requestTimeout)
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", key)
              .POST(HttpRequest.BodyPublishers.ofString(body.apply(i)))
              .build();
      long t0 = System.nanoTime();
      CompletableFuture<Answer> answer =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .handle((response, error) -> answer(response, error, System.nanoTime() - t0));
      sent.add(new Sent(i, key, now - due, Instant.now(), answer));
    }
    return sent;
  }

  /** Waits up to {@code timeout} for every answer; returns how many are still missing. */
  static long awaitAnswers(List<Sent> sent, Duration timeout) {
    CompletableFuture<?>[] all = sent.stream().map(Sent::answer).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // counted below: what has no answer yet
    }
    return sent.stream().filter(s -> !s.answer().isDone()).count();
  }

  void close() {
    callbacks.shutdownNow();
  }

  private static Answer answer(HttpResponse<String> response, Throwable error, long nanos) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      return new Answer(
          0, JSON.nullNode(), Optional.empty(), cause.getClass().getSimpleName(), nanos);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = JSON.getNodeFactory().textNode(response.body());
    }
    return new Answer(
        response.statusCode(),
        body == null ? JSON.nullNode() : body,
        response.headers().firstValue("Retry-After"),
        "",
        nanos);
  }
}
