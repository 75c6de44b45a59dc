package io.mpcw.orchestrator.voting;

import io.mpcw.orchestrator.config.ClusterProperties;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code pending → voting}: opens the voting round with the cluster's t and n and the nodes the
 * registry lists as active. While fewer than t nodes are active approval is impossible, so the
 * transaction waits (and fails at the pending timeout) rather than open a round doomed to fail.
 */
@Component
class OpenVotingRoundStage implements StageHandler {
  private final RegistryClient registry;
  private final VotingRounds rounds;
  private final ClusterProperties cluster;
  private final PipelineProperties pipeline;

  OpenVotingRoundStage(
      RegistryClient registry,
      VotingRounds rounds,
      ClusterProperties cluster,
      PipelineProperties pipeline) {
    this.registry = registry;
    this.rounds = rounds;
    this.cluster = cluster;
    this.pipeline = pipeline;
  }

  @Override
  public TransactionState stage() {
    return TransactionState.PENDING;
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    List<String> active;
    try {
      active = registry.activeNodes().stream().map(ClusterNode::nodeId).sorted().toList();
    } catch (RegistryUnavailableException e) {
      return new StageOutcome.Retry(Duration.ofSeconds(1), e.getMessage());
    }
    if (active.size() < cluster.threshold()) {
      return new StageOutcome.Retry(
          Duration.ofSeconds(1), active.size() + " active nodes, threshold " + cluster.threshold());
    }
    Duration votingTimeout =
        pipeline.timeoutOf(TransactionState.VOTING).orElse(Duration.ofSeconds(30));
    String reason =
        "voting round opened: t="
            + cluster.threshold()
            + " n="
            + cluster.totalNodes()
            + ", "
            + active.size()
            + " active nodes asked";
    // the round opened is handed over to the voting stage with the claim, when it is
    return new StageOutcome.AdvanceWith(
        TransactionState.VOTING,
        row -> {
          rounds
              .open(
                  claim.tx().id(),
                  cluster.threshold(),
                  cluster.totalNodes(),
                  cluster.byzantineTolerance(),
                  active,
                  votingTimeout)
              .ifPresent(row::handOver);
          return reason;
        });
  }
}
