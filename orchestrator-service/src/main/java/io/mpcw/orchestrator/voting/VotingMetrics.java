package io.mpcw.orchestrator.voting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Votes as the orchestrator receives them. */
@Component
class VotingMetrics {
  private final MeterRegistry registry;

  VotingMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void received(String decision, String outcome) {
    Counter.builder("orchestration_votes_received_total")
        .description("Vote answers received from nodes, by decision and ledger outcome")
        .tags("decision", decision, "outcome", outcome)
        .register(registry)
        .increment();
  }

  void requestFailed(String kind) {
    Counter.builder("orchestration_vote_requests_failed_total")
        .description("Vote requests that got no vote back, by transport failure kind")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  void evidence(String kind) {
    Counter.builder("orchestration_byzantine_evidence_total")
        .description("Byzantine evidence found against nodes, by kind")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /** One exchange with a node sent, carrying {@code votes} requests (more than one: a batch). */
  void exchangeSent(int votes) {
    DistributionSummary.builder("orchestration_vote_exchange_votes")
        .description("Vote requests per exchange with a node (vote.batch.v1 when more than one)")
        .register(registry)
        .record(votes);
  }

  void decidedWithoutStragglers() {
    Counter.builder("orchestration_votes_decided_before_all_answered_total")
        .description(
            "Voting passes that went on to decide after the straggler grace, without the answers"
                + " of every node asked")
        .register(registry)
        .increment();
  }

  /**
   * A vote ended by its stage timeout: {@code failed} (this replica's end stands in etcd) or {@code
   * decided_earlier} (a decision already stood there, and was applied instead).
   */
  void timedOut(String result) {
    Counter.builder("orchestration_votes_timed_out_total")
        .description("Votes ended by the voting stage timeout, by what stands in etcd")
        .tag("result", result)
        .register(registry)
        .increment();
  }
}
