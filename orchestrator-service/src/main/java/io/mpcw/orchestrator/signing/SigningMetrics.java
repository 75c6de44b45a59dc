package io.mpcw.orchestrator.signing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Signing figures: whole successful signings, attempts by outcome, culprits found, ROAST sibling
 * sessions by what started them, the sessions taken over from an orchestrator that died mid-session
 * or abandoned in etcd, and how many round-2 requests shared an exchange.
 */
@Component
class SigningMetrics {
  private final MeterRegistry meters;
  private final Timer duration;
  private final Counter resumed;
  private final Counter aborted;
  private final DistributionSummary exchangeSessions;
  private final Map<SiblingGrace.Reason, Counter> siblings =
      new EnumMap<>(SiblingGrace.Reason.class);

  SigningMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.duration =
        Timer.builder("orchestration_signing_duration_seconds")
            .description("time from entering signing to a verified signature")
            .publishPercentileHistogram()
            .register(meters);
    this.resumed =
        Counter.builder("orchestration_signing_sessions_resumed_total")
            .description(
                "signing sessions left open by an orchestrator that stopped mid-session, taken"
                    + " over to be finished or aborted")
            .register(meters);
    this.aborted =
        Counter.builder("orchestration_signing_sessions_aborted_total")
            .description(
                "signing sessions aborted in etcd because a signer's shares were missing; no"
                    + " share can be recorded for them afterwards")
            .register(meters);
    this.exchangeSessions =
        DistributionSummary.builder("orchestration_signing_sessions_per_exchange")
            .description(
                "Round-2 requests per exchange with a signer (sign.share.batch.v1 when more than"
                    + " one)")
            .register(meters);
    for (SiblingGrace.Reason reason : SiblingGrace.Reason.values()) {
      siblings.put(
          reason,
          Counter.builder("orchestration_signing_siblings_started_total")
              .description(
                  "ROAST sibling sessions started while an earlier session of the payment was"
                      + " open, by what ended its grace: straggler (some signers answered, the"
                      + " rest were too slow), ceiling (none answered in time), failure (it could"
                      + " not complete any more)")
              .tag("reason", reason.wireName())
              .register(meters));
    }
  }

  void signed(Duration inStage) {
    duration.record(inStage);
  }

  void attempt(SigningOutcome outcome) {
    meters
        .counter("orchestration_signing_attempts_total", "outcome", outcome.wireName())
        .increment();
  }

  void culprits(int count) {
    meters.counter("orchestration_signing_culprits_total").increment(count);
  }

  void sessionResumed() {
    resumed.increment();
  }

  void sessionAborted() {
    aborted.increment();
  }

  /** Share records under a signer's key that the signer did not sign: someone else wrote etcd. */
  void foreignShareRecords(int count) {
    meters.counter("orchestration_signing_foreign_share_records_total").increment(count);
  }

  /** Pre-shared commitments received and pooled. */
  void commitmentsPooled(int count) {
    meters.counter("orchestration_signing_commitments_pooled_total").increment(count);
  }

  /** Batches of pre-shared commitments refused (unreadable, wrong identifier, seen before). */
  void commitmentsRefused() {
    meters.counter("orchestration_signing_commitments_refused_total").increment();
  }

  /** A sibling session started, and why. */
  void siblingStarted(SiblingGrace.Reason reason) {
    siblings.get(reason).increment();
  }

  /** FROST sessions one ROAST run started for a payment (at most n − t + 1). */
  void sessionsPerRun(int count) {
    meters.summary("orchestration_signing_sessions_per_run").record(count);
  }

  /** One round-2 exchange with a node sent, carrying {@code sessions} requests (more: a batch). */
  void sessionsPerExchange(int sessions) {
    exchangeSessions.record(sessions);
  }
}
