package io.mpcw.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The transport's meters on an injected registry. {@code role} is {@code client} or {@code server},
 * so a process that both calls and serves does not count a request twice.
 */
public final class TransportMetrics {

  public static final String CLIENT = "client";
  public static final String SERVER = "server";

  /** The {@code type} label of every request whose type the server does not serve. */
  public static final String UNKNOWN_TYPE = "unknown";

  private final MeterRegistry registry;
  private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final Map<RequestKey, Timer> latencies = new ConcurrentHashMap<>();

  public TransportMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code outcome} is {@code ok} or a {@link TransportException.Kind#tag()}. */
  public void requestCompleted(String role, String type, String outcome, long nanos) {
    // cached: building and registering a meter id on every request costs more than recording
    requests.computeIfAbsent(new RequestKey(role, type, outcome), this::requestCounter).increment();
    latencies
        .computeIfAbsent(new RequestKey(role, type, ""), this::requestTimer)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter requestCounter(RequestKey key) {
    return Counter.builder("transport_requests_total")
        .description("Requests by message type and outcome")
        .tag("role", key.role())
        .tag("type", key.type())
        .tag("outcome", key.outcome())
        .register(registry);
  }

  private Timer requestTimer(RequestKey key) {
    return Timer.builder("transport_request_seconds")
        .description(
            "Time from sending a request to its reply (client) or from receipt to reply (server)")
        .tag("role", key.role())
        .tag("type", key.type())
        .publishPercentileHistogram()
        .register(registry);
  }

  private record RequestKey(String role, String type, String outcome) {}

  public void frameRefused(String reason) {
    Counter.builder("transport_frames_refused_total")
        .description(
            "Incoming frames refused: too_large, truncated, unparsable, unsupported_version,"
                + " timed_out (not complete within the arrival timeout), over_budget (the"
                + " connection holds too many unfinished request bytes)")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void handshakeRefused(String reason) {
    Counter.builder("transport_handshakes_refused_total")
        .description(
            "Peers refused at connection: untrusted_issuer, expired, not_yet_valid, invalid,"
                + " identity_rejected, identity_mismatch, no_certificate, handshake_failed,"
                + " invalid_token")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void connectionRefused(String reason) {
    Counter.builder("transport_connections_refused_total")
        .description(
            "Authenticated connections closed at once: too_many_per_peer (the peer identity"
                + " holds its maximum of connections already)")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public MeterRegistry registry() {
    return registry;
  }
}
