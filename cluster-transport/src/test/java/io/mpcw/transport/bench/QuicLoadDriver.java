package io.mpcw.transport.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.pki.CertificateIssuer;
import io.mpcw.transport.pki.IdentityCredentials;
import io.mpcw.transport.quic.QuicTransportClient;
import io.mpcw.transport.quic.QuicTransportServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on loopback: {@code concurrency} requests kept in flight, each answered by an
 * echo handler, for a warm-up then a measured period. Usage: {@code QuicLoadDriver [warmupSeconds]
 * [measureSeconds] [payloadBytes] [concurrency...]}.
 */
public final class QuicLoadDriver {

  private QuicLoadDriver() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int payloadBytes = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    List<Integer> levels =
        args.length > 3
            ? Arrays.stream(args, 3, args.length).map(Integer::valueOf).toList()
            : List.of(1, 64);
    printConditions(warmup, measure, payloadBytes);

    CertificateIssuer issuer = new CertificateIssuer();
    Instant now = Instant.now();
    IdentityCredentials ca = issuer.createCa(now.minusSeconds(60), now.plusSeconds(3600));
    IdentityCredentials node =
        issuer.issue(ca, "node-1", List.of(), now.minusSeconds(60), now.plusSeconds(3600));
    IdentityCredentials orchestrator =
        issuer.issue(ca, "orchestrator", List.of(), now.minusSeconds(60), now.plusSeconds(3600));

    try (QuicTransportServer server =
            new QuicTransportServer(
                node,
                ca.certificate(),
                IdentityPolicy.anyOf(Set.of("orchestrator")),
                new InetSocketAddress("127.0.0.1", 0),
                TransportSettings.defaults(),
                new SimpleMeterRegistry(),
                Clock.systemUTC());
        QuicTransportClient client =
            new QuicTransportClient(
                orchestrator,
                ca.certificate(),
                TransportSettings.defaults(),
                new SimpleMeterRegistry(),
                Clock.systemUTC())) {
      Endpoint endpoint =
          server.start(
              (peer, request) ->
                  CompletableFuture.completedFuture(
                      Envelopes.reply(request, "echo", request.getPayload())));
      long handshakeStart = System.nanoTime();
      client
          .request(endpoint, "echo", new byte[0], Duration.ofSeconds(5))
          .get(10, TimeUnit.SECONDS);
      System.out.printf(
          "first request (QUIC + TLS 1.3 handshake): %.1f ms%n",
          (System.nanoTime() - handshakeStart) / 1e6);
      byte[] payload = new byte[payloadBytes];
      for (int concurrency : levels) {
        run(client, endpoint, payload, concurrency, Duration.ofSeconds(warmup));
        Result result = run(client, endpoint, payload, concurrency, Duration.ofSeconds(measure));
        System.out.printf(
            "concurrency %3d: %8.0f req/s  p50 %7.1f us  p99 %7.1f us  p99.9 %7.1f us  (%d requests, %d failed)%n",
            concurrency,
            result.throughput(),
            result.percentileMicros(0.50),
            result.percentileMicros(0.99),
            result.percentileMicros(0.999),
            result.count(),
            result.failures());
      }
    }
  }

  private static Result run(
      QuicTransportClient client,
      Endpoint endpoint,
      byte[] payload,
      int concurrency,
      Duration period)
      throws InterruptedException {
    LatencyLog latencies = new LatencyLog();
    AtomicLong failures = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(concurrency);
    long started = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      next(client, endpoint, payload, latencies, failures, stop, done);
    }
    Thread.sleep(period.toMillis());
    stop.set(true);
    long elapsed = System.nanoTime() - started;
    done.await(10, TimeUnit.SECONDS);
    return new Result(latencies.sorted(), failures.get(), elapsed);
  }

  private static void next(
      QuicTransportClient client,
      Endpoint endpoint,
      byte[] payload,
      LatencyLog latencies,
      AtomicLong failures,
      AtomicBoolean stop,
      CountDownLatch done) {
    if (stop.get()) {
      done.countDown();
      return;
    }
    long sent = System.nanoTime();
    client
        .request(endpoint, "echo", payload, Duration.ofSeconds(5))
        .whenComplete(
            (reply, failure) -> {
              if (failure == null) {
                latencies.add(System.nanoTime() - sent);
              } else {
                failures.incrementAndGet();
              }
              next(client, endpoint, payload, latencies, failures, stop, done);
            });
  }

  private static void printConditions(int warmup, int measure, int payloadBytes) {
    var os = ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(
        "QUIC request/response on 127.0.0.1, client and server in one JVM (1 event-loop thread each)%n"
            + "payload %d B echoed, closed loop, warm-up %d s + measured %d s per level%n"
            + "java %s, %d CPUs, load average %.2f at start, TLS 1.3 mTLS EC P-256, ALPN mpcw/1%n",
        payloadBytes,
        warmup,
        measure,
        System.getProperty("java.version"),
        os.getAvailableProcessors(),
        os.getSystemLoadAverage());
  }

  /** Latencies in nanoseconds, appended from the client's event loop. */
  private static final class LatencyLog {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private record Result(long[] sortedNanos, long failures, long elapsedNanos) {
    int count() {
      return sortedNanos.length;
    }

    double throughput() {
      return sortedNanos.length / (elapsedNanos / 1e9);
    }

    double percentileMicros(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
      return sortedNanos[Math.max(0, index)] / 1e3;
    }
  }
}
