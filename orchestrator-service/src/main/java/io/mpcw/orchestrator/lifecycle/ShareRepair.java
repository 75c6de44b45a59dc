package io.mpcw.orchestrator.lifecycle;

import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairRecoverRequest;
import io.mpcw.transport.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A repair's one {@code dealing} step, which ends {@code committed}: t helpers (rotated over the
 * attempts, so a helper that is down is left out next time) each split their part of the lost
 * share; each sums what it received and seals the sum to the lost participant, which rebuilds its
 * share and checks it. Nothing is staged anywhere, so a failed attempt needs no clean-up. Apart
 * from {@link RefreshCoordinator} because its rounds and helpers are not a refresh's.
 */
final class ShareRepair {
  private final KeyOperations operations;
  private final NodeCalls calls;
  private final LifecycleProperties properties;
  private final OperationSteps steps;

  ShareRepair(
      KeyOperations operations,
      NodeCalls calls,
      LifecycleProperties properties,
      OperationSteps steps) {
    this.operations = operations;
    this.calls = calls;
    this.properties = properties;
    this.steps = steps;
  }

  void repair(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    String lost = op.subject();
    Optional<Endpoint> lostEndpoint = OperationSteps.endpoint(known, lost);
    List<String> candidates = new ArrayList<>();
    wallet.participants().stream()
        .filter(n -> !n.equals(lost) && OperationSteps.endpoint(known, n).isPresent())
        .forEach(candidates::add);
    int t = wallet.threshold();
    if (lostEndpoint.isEmpty() || candidates.size() < t) {
      steps.failedAttempt(op, owner, "repair", "not enough participants with a known address");
      return;
    }
    Collections.rotate(candidates, -(op.attempts() % candidates.size()));
    List<String> helpers = List.copyOf(candidates.subList(0, t));
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    helpers.forEach(h -> endpoints.put(h, OperationSteps.endpoint(known, h).orElseThrow()));
    RepairPart1Request part1 =
        new RepairPart1Request(op.id(), op.walletId(), op.fromEpoch(), lost, helpers, op.votes());
    NodeCalls.Round<RepairPart1Response> round1 =
        calls.ask(
            endpoints,
            RepairPart1Request.TYPE,
            n -> part1,
            RepairPart1Response.class,
            properties.requestDeadline());
    if (!round1.complete()) {
      steps.failedAttempt(op, owner, "repair", "part 1: " + round1.why());
      return;
    }
    NodeCalls.Round<RepairPart2Response> round2 =
        calls.ask(
            endpoints,
            RepairPart2Request.TYPE,
            helper -> {
              Map<String, String> sealed =
                  OperationSteps.sealedTo(helper, round1.replies(), RepairPart1Response::sealed);
              return new RepairPart2Request(op.id(), op.walletId(), op.fromEpoch(), sealed);
            },
            RepairPart2Response.class,
            properties.requestDeadline());
    if (!round2.complete()) {
      steps.failedAttempt(op, owner, "repair", "part 2: " + round2.why());
      return;
    }
    Map<String, String> sums = new LinkedHashMap<>();
    round2.replies().forEach((helper, reply) -> sums.put(helper, reply.sealedSum()));
    RepairRecoverRequest recover =
        new RepairRecoverRequest(
            op.id(),
            op.walletId(),
            op.fromEpoch(),
            wallet.participants(),
            t,
            Hex.encode(wallet.publicKeyPackage().orElseThrow().encode()),
            Hex.encode(wallet.groupPublicKey().orElseThrow()),
            sums);
    NodeCalls.Round<EpochResponse> round3 =
        calls.ask(
            Map.of(lost, lostEndpoint.get()),
            RepairRecoverRequest.TYPE,
            n -> recover,
            EpochResponse.class,
            properties.requestDeadline());
    String why = round3.failures().get(lost);
    if (why != null && !why.startsWith(ProtocolErrors.WALLET_EXISTS)) {
      steps.failedAttempt(op, owner, "repair", "recover: " + round3.why());
      return;
    }
    operations.transition(
        op.id(),
        owner,
        State.DEALING,
        State.COMMITTED,
        why == null
            ? lost + " rebuilt its share of epoch " + op.fromEpoch() + " with " + helpers
            : lost + " already holds a share of the wallet (never overwritten)");
  }
}
