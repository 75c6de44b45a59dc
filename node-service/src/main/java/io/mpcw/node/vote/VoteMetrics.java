package io.mpcw.node.vote;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mpcw.transport.RateLimitedLog;
import io.mpcw.votes.Decision;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * {@code node_votes_cast_total{decision}} (votes this node recorded in etcd), {@code
 * node_votes_refused_total{reason}} (requests that did not lead to a recorded vote) and {@code
 * node_vote_seconds{outcome}} (request received to reply ready, etcd included).
 */
public class VoteMetrics {

  /** Why a vote request did not end in a newly recorded vote. */
  public enum Refusal {
    /** the payload is not a valid vote request */
    MALFORMED,
    /** the orchestrator had decided already */
    LATE,
    /** etcd did not answer in time */
    ETCD_UNAVAILABLE,
    /** too many votes waiting for a worker */
    OVERLOADED,
    /** the caller is not the orchestrator */
    FORBIDDEN;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Map<Decision, Counter> cast = new EnumMap<>(Decision.class);
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final DistributionSummary batches;

  public VoteMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batches =
        DistributionSummary.builder("node.votes.batch.size")
            .description("Votes per vote.batch.v1 request, all recorded in one etcd transaction")
            .register(registry);
    for (Decision decision : Decision.values()) {
      cast.put(
          decision,
          Counter.builder("node.votes.cast")
              .description("Votes this node recorded in the etcd ledger, by decision")
              .tag("decision", decision.wireName())
              .register(registry));
    }
    for (Refusal refusal : Refusal.values()) {
      refused.put(
          refusal,
          Counter.builder("node.votes.refused")
              .description("Vote requests that did not record a vote, by reason")
              .tag("reason", refusal.tag())
              .register(registry));
    }
  }

  /** A log for lines a peer can cause at will; the lines it suppresses are counted. */
  RateLimitedLog rateLimited(Logger log, String category) {
    return RateLimitedLog.perMinute(log, category, registry);
  }

  void cast(Decision decision) {
    cast.get(decision).increment();
  }

  void batch(int votes) {
    batches.record(votes);
  }

  void refused(Refusal refusal) {
    refused.get(refusal).increment();
  }

  /**
   * @param outcome counted, duplicate, late, malformed, etcd_unavailable, overloaded or timeout
   */
  void handled(String outcome, Duration took) {
    Timer.builder("node.vote")
        .description("Time from a vote request to its reply, the etcd transaction included")
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }
}
