package io.mpcw.orchestrator.voting;

import io.mpcw.orchestrator.config.ClusterProperties;
import io.mpcw.orchestrator.config.PipelineProperties;
import io.mpcw.orchestrator.pipeline.ClaimedTransaction;
import io.mpcw.orchestrator.pipeline.StageHandler;
import io.mpcw.orchestrator.pipeline.StageOutcome;
import io.mpcw.orchestrator.registry.ClusterNode;
import io.mpcw.orchestrator.registry.RegistryClient;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.transaction.TransactionRecord;
import io.mpcw.types.transaction.TransactionState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

  /**
   * A new payment's round is opened in the API's own database transaction, with the payment's
   * INSERT, when enough nodes are active (the engine's pass-through): what {@link #handle} would do
   * at once. Otherwise the payment is stored in {@code pending} and waits there as before.
   */
  @Override
  public Optional<StageOutcome.AdvanceWith> onEntry(TransactionRecord entering) {
    try {
      return Optional.of(registry.activeNodes())
          .filter(nodes -> nodes.size() >= cluster.threshold())
          .map(nodes -> open(entering, nodes));
    } catch (RegistryUnavailableException e) {
      return Optional.empty();
    }
  }

  @Override
  public StageOutcome handle(ClaimedTransaction claim) {
    List<ClusterNode> active;
    try {
      active = registry.activeNodes();
    } catch (RegistryUnavailableException e) {
      return new StageOutcome.Retry(Duration.ofSeconds(1), e.getMessage());
    }
    if (active.size() < cluster.threshold()) {
      return new StageOutcome.Retry(
          Duration.ofSeconds(1), active.size() + " active nodes, threshold " + cluster.threshold());
    }
    return open(claim.tx(), active);
  }

  private StageOutcome.AdvanceWith open(TransactionRecord tx, List<ClusterNode> activeNodes) {
    List<String> active = activeNodes.stream().map(ClusterNode::nodeId).sorted().toList();
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
                  tx.id(),
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
