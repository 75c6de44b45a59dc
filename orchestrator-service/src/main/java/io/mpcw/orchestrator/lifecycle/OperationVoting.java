package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteResponse;
import io.mpcw.protocol.lifecycle.LifecycleVote;
import io.mpcw.transport.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code voting} step of every key operation (refresh, repair, reshare): asks every participant
 * that has not voted, keeps each vote that verifies with its reason. ≥ t valid approvals → {@code
 * dealing}; more than n − t rejections → {@code rejected}; no decision within {@code
 * voting-timeout} → {@code aborted}. Apart from the dealing because every kind votes alike.
 */
final class OperationVoting {
  private static final Logger log = LoggerFactory.getLogger(OperationVoting.class);

  private final KeyOperations operations;
  private final NodeCalls calls;
  private final LifecycleProperties properties;
  private final OperationSteps steps;

  OperationVoting(
      KeyOperations operations,
      NodeCalls calls,
      LifecycleProperties properties,
      OperationSteps steps) {
    this.operations = operations;
    this.calls = calls;
    this.properties = properties;
    this.steps = steps;
  }

  void vote(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    if (wallet.keyEpoch() != op.fromEpoch()) {
      operations.transition(
          op.id(), owner, State.VOTING, State.ABORTED, "the wallet left epoch " + op.fromEpoch());
      return;
    }
    Map<String, LifecycleVote> votes = new LinkedHashMap<>(op.votes());
    Map<String, Endpoint> ask = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    // the participant to repair has no share to vote with: the others decide
    List<String> voters =
        wallet.participants().stream().filter(n -> !n.equals(op.subject())).toList();
    for (String node : voters) {
      if (!votes.containsKey(node)) {
        OperationSteps.endpoint(known, node)
            .ifPresentOrElse(e -> ask.put(node, e), () -> unknown.add(node));
      }
    }
    VoteRequest request =
        new VoteRequest(op.id(), op.walletId(), op.kind(), op.fromEpoch(), op.subject());
    NodeCalls.Round<VoteResponse> round =
        calls.ask(
            ask, VoteRequest.TYPE, n -> request, VoteResponse.class, properties.requestDeadline());
    round
        .replies()
        .forEach(
            (node, reply) -> {
              LifecycleVote vote = reply.vote();
              // a vote that is not this node's, for this operation, is not kept
              if (OperationSteps.certificate(known, node)
                      .map(c -> vote.writtenBy(node, c))
                      .orElse(false)
                  && vote.operationId().equals(op.id())
                  && vote.walletId().equals(op.walletId())
                  && vote.kind().equals(op.kind())
                  && vote.epoch() == op.fromEpoch()
                  && vote.subject().equals(op.subject())) {
                votes.put(node, vote);
              } else {
                log.warn("operation {}: {} sent a vote that does not verify", op.id(), node);
              }
            });
    operations.recordVotes(op.id(), owner, votes);
    List<String> approvals = new ArrayList<>();
    List<String> rejections = new ArrayList<>();
    votes.forEach(
        (node, vote) -> {
          if (vote.approves()) {
            approvals.add(node);
          } else {
            rejections.add(node + ": " + vote.reason());
          }
        });
    int t = wallet.threshold();
    int n = voters.size();
    if (approvals.size() >= t) {
      operations.transition(
          op.id(),
          owner,
          State.VOTING,
          State.DEALING,
          "approved by " + String.join(", ", approvals));
    } else if (rejections.size() > n - t) {
      operations.transition(
          op.id(),
          owner,
          State.VOTING,
          State.REJECTED,
          "rejected by " + String.join("; ", rejections));
    } else if (Instant.now().isAfter(op.createdAt().plus(properties.votingTimeout()))) {
      operations.transition(
          op.id(),
          owner,
          State.VOTING,
          State.ABORTED,
          "no decision within "
              + properties.votingTimeout()
              + ": "
              + approvals.size()
              + " of "
              + t
              + " approvals");
    } else {
      steps.later(
          op,
          owner,
          approvals.size() + " of " + t + " approvals; waiting for " + unknown + " " + round.why(),
          false);
    }
  }
}
