package io.mpcw.node.protocol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mpcw.transport.RateLimitedLog;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * Signing and DKG metrics, with no per-transaction or per-wallet label: {@code
 * node_signing_duration_seconds} (round 2, histogram), {@code
 * node_signing_requests_total{round,outcome}}, {@code node_signing_refusals_total{reason}}, {@code
 * node_signing_sessions} (live nonce sessions), {@code node_dkg_total{outcome}}, {@code
 * node_wallet_shares} and {@code node_protocol_unsupported_total}.
 */
public class ProtocolMetrics {

  private final MeterRegistry registry;
  private final Timer signing;
  private final Counter unsupported;

  public ProtocolMetrics(MeterRegistry registry, IntSupplier liveSessions, IntSupplier shares) {
    this.registry = registry;
    this.signing =
        Timer.builder("node.signing.duration")
            .description("Time to produce this node's signature shares (signing round 2)")
            .publishPercentileHistogram()
            .register(registry);
    this.unsupported =
        Counter.builder("node.protocol.unsupported")
            .description("Requests of a message type this node does not serve")
            .register(registry);
    Gauge.builder("node.signing.sessions", liveSessions::getAsInt)
        .description("Signing sessions holding nonces in memory, waiting for round 2")
        .register(registry);
    Gauge.builder("node.wallet.shares", shares::getAsInt)
        .description("Wallet key shares this node holds")
        .register(registry);
  }

  void succeeded(Route<?, ?> route, Duration took) {
    if (route.family() == Route.Family.LIFECYCLE) {
      lifecycle(route, "ok");
    } else if (route.family() == Route.Family.SIGNING) {
      requests(route.step(), "ok");
      if (route.producesSignatureShares()) {
        signing.record(took);
      }
    } else if (route.completesDkg()) {
      dkg("completed");
    }
  }

  /** A refusal with a protocol error code (the request was understood and declined). */
  void refused(Route<?, ?> route, String code) {
    String reason = code.toLowerCase(Locale.ROOT);
    if (route.family() == Route.Family.LIFECYCLE) {
      lifecycle(route, reason);
    } else if (route.family() == Route.Family.SIGNING) {
      requests(route.step(), "refused");
      signingRefusal(reason);
    } else {
      dkg(reason);
    }
  }

  /** A failure that is a bug or an environment problem, not a refusal. */
  void failed(Route<?, ?> route) {
    if (route.family() == Route.Family.LIFECYCLE) {
      lifecycle(route, "internal");
    } else if (route.family() == Route.Family.SIGNING) {
      requests(route.step(), "failed");
    } else {
      dkg("internal");
    }
  }

  /** A log for lines a peer can cause at will; the lines it suppresses are counted. */
  public RateLimitedLog rateLimited(Logger log, String category) {
    return RateLimitedLog.perMinute(log, category, registry);
  }

  void unsupported() {
    unsupported.increment();
  }

  /**
   * One session of a round-2 batch ({@code sign.share.batch.v1}), counted as a lone round 2 would
   * be ({@code round="share"}): {@code ok}, {@code failed}, or refused with {@code code}.
   */
  void batchedShare(String outcome, String code) {
    requests(BATCHED_SESSION_STEP, outcome);
    if (code != null) {
      signingRefusal(code.toLowerCase(Locale.ROOT));
    }
  }

  static final String BATCHED_SESSION_STEP = "share";

  private void signingRefusal(String reason) {
    Counter.builder("node.signing.refusals")
        .description("Signing requests refused, by error code")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  private void requests(String step, String outcome) {
    Counter.builder("node.signing.requests")
        .description("Signing requests handled, by round and outcome")
        .tag("round", step)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private void lifecycle(Route<?, ?> route, String outcome) {
    Counter.builder("node.lifecycle.requests")
        .description("Key lifecycle requests (votes, refresh rounds), by step and outcome")
        .tag("step", route.step())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private void dkg(String outcome) {
    Counter.builder("node.dkg")
        .description("DKG runs completed here, and DKG steps refused by error code")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
