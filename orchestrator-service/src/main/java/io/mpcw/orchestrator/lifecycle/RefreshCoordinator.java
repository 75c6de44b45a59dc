package io.mpcw.orchestrator.lifecycle;

import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshAbortRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.transport.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Drives a refresh or a repair one step per call (and the vote of a reshare) (a repair: {@code
 * voting} among the other participants, then one {@code dealing} step that ends {@code committed},
 * see {@link ShareRepair}), each step from the state stored in PostgreSQL, so whichever runner
 * claims the operation next (after a crash, another replica) goes on from there:
 *
 * <ul>
 *   <li>{@code voting}: asks every participant that has not voted; each vote is kept with its
 *       reason. ≥ t valid approvals → {@code dealing}; more than n − t rejections → {@code
 *       rejected}.
 *   <li>{@code dealing}: part 1 and part 2 among all participants (every share must move). Any
 *       failure discards what was staged ({@code refresh.abort.v1}) and deals again later with
 *       fresh zero-sharings; after {@code max-dealing-attempts} → {@code aborted}, the wallet
 *       unchanged. Success → {@code committing}, and the wallet moves to the new epoch in the same
 *       database transaction.
 *   <li>{@code committing}: sends the commit until every participant answers the new epoch → {@code
 *       committed}. Never aborted: every participant holds the new share staged.
 * </ul>
 */
@Component
class RefreshCoordinator {
  private static final Logger log = LoggerFactory.getLogger(RefreshCoordinator.class);

  private final Wallets wallets;
  private final KeyOperations operations;
  private final NodeDirectory directory;
  private final NodeCalls calls;
  private final LifecycleProperties properties;
  private final OperationSteps steps;
  private final OperationVoting voting;
  private final ShareRepair repair;

  RefreshCoordinator(
      Wallets wallets,
      KeyOperations operations,
      NodeDirectory directory,
      NodeCalls calls,
      LifecycleProperties properties) {
    this.wallets = wallets;
    this.operations = operations;
    this.directory = directory;
    this.calls = calls;
    this.properties = properties;
    this.steps = new OperationSteps(operations, calls, properties);
    this.voting = new OperationVoting(operations, calls, properties, steps);
    this.repair = new ShareRepair(operations, calls, properties, steps);
  }

  /** One step of {@code op}, claimed by {@code owner}. */
  void step(KeyOperation op, UUID owner) {
    if (RefreshParticipant.RESHARE.equals(op.kind()) && op.state() != State.VOTING) {
      // a reshare past its vote is ReshareCoordinator's; a refresh's dealing must never run on it
      throw new IllegalStateException("reshare " + op.id() + " in " + op.state() + " claimed");
    }
    Wallet wallet = wallets.find(op.walletId()).orElseThrow();
    Map<String, NodeDirectory.KnownNode> known;
    try {
      known = directory.nodes();
    } catch (RegistryUnavailableException e) {
      steps.later(op, owner, "registry: " + e.getMessage(), false);
      return;
    }
    switch (op.state()) {
      case VOTING -> voting.vote(op, owner, wallet, known);
      case DEALING -> {
        if (RefreshParticipant.REPAIR.equals(op.kind())) {
          repair.repair(op, owner, wallet, known);
        } else {
          deal(op, owner, wallet, known);
        }
      }
      case COMMITTING -> commit(op, owner, wallet, known);
      default -> throw new IllegalStateException("terminal operation claimed: " + op.id());
    }
  }

  private void deal(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    // part 1 and part 2 must both fit in the lease, or another runner may deal beside this one
    if (!operations.holds(op.id(), owner, properties.requestDeadline().multipliedBy(2))) {
      steps.later(op, owner, "lease too short to deal", false);
      return;
    }
    Optional<Map<String, Endpoint>> all = all(wallet, known);
    if (all.isEmpty()) {
      failedDealing(op, owner, wallet, known, "a participant has no known address");
      return;
    }
    Map<String, Endpoint> endpoints = all.get();
    RefreshPart1Request part1 =
        new RefreshPart1Request(op.id(), op.walletId(), op.fromEpoch(), op.votes());
    NodeCalls.Round<RefreshPart1Response> round1 =
        calls.ask(
            endpoints,
            RefreshPart1Request.TYPE,
            n -> part1,
            RefreshPart1Response.class,
            properties.requestDeadline());
    if (!round1.complete()) {
      failedDealing(op, owner, wallet, known, "part 1: " + round1.why());
      return;
    }
    Map<String, String> commitments = new LinkedHashMap<>();
    round1.replies().forEach((node, reply) -> commitments.put(node, reply.commitment()));
    long next = op.fromEpoch() + 1;
    NodeCalls.Round<RefreshPart2Response> round2 =
        calls.ask(
            endpoints,
            RefreshPart2Request.TYPE,
            recipient -> {
              Map<String, String> sealed =
                  OperationSteps.sealedTo(
                      recipient, round1.replies(), RefreshPart1Response::sealed);
              return new RefreshPart2Request(op.id(), op.walletId(), next, commitments, sealed);
            },
            RefreshPart2Response.class,
            properties.requestDeadline());
    if (!round2.complete()) {
      failedDealing(op, owner, wallet, known, "part 2: " + round2.why());
      return;
    }
    partTwoAnswered(op);
    // every participant must have staged a share of the same package, of the same key
    String agreed = round2.replies().values().iterator().next().publicKeyPackage();
    Map<String, String> acks = new LinkedHashMap<>();
    for (Map.Entry<String, RefreshPart2Response> e : round2.replies().entrySet()) {
      if (!e.getValue().publicKeyPackage().equalsIgnoreCase(agreed)
          || e.getValue().epoch() != next) {
        failedDealing(
            op, owner, wallet, known, e.getKey() + " computed another public key package");
        return;
      }
      acks.put(e.getKey(), e.getValue().ack());
    }
    byte[] publicKeys = Hex.decode(agreed);
    PublicKeyPackage decoded = PublicKeyPackage.decode(publicKeys);
    if (wallet.publicKeyPackage().isEmpty()
        || !decoded.verifyingKey().equals(wallet.publicKeyPackage().get().verifyingKey())) {
      failedDealing(op, owner, wallet, known, "the refreshed key package has another group key");
      return;
    }
    if (operations.toCommitting(op, owner, publicKeys, acks)) {
      log.info("refresh {} of wallet {}: committing epoch {}", op.id(), op.walletId(), next);
    }
  }

  /**
   * Runs when every participant has staged its new share and before the operation is recorded as
   * {@code committing}. A runner dying here is what the dealing takeover test stops dead by
   * overriding it.
   */
  void partTwoAnswered(KeyOperation op) {}

  private void failedDealing(
      KeyOperation op,
      UUID owner,
      Wallet wallet,
      Map<String, NodeDirectory.KnownNode> known,
      String why) {
    // nothing was committed: whatever was staged goes, the wallet signs on in its epoch
    RefreshAbortRequest abort = new RefreshAbortRequest(op.id(), op.walletId(), op.fromEpoch() + 1);
    if (!steps.discardStaged(
        op, owner, wallet.participants(), known, RefreshAbortRequest.TYPE, abort)) {
      // another runner has the operation now: what it staged is its own business
      log.info("operation {}: lost before discarding a failed dealing", op.id());
      return;
    }
    steps.failedAttempt(op, owner, "dealing", why);
  }

  private void commit(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    long next = op.fromEpoch() + 1;
    Map<String, Endpoint> reachable = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    wallet
        .participants()
        .forEach(
            n ->
                OperationSteps.endpoint(known, n)
                    .ifPresentOrElse(e -> reachable.put(n, e), () -> unknown.add(n)));
    RefreshCommitRequest request =
        new RefreshCommitRequest(
            op.id(),
            op.walletId(),
            next,
            Hex.encode(op.publicKeyPackage().orElseThrow()),
            op.acks());
    NodeCalls.Round<EpochResponse> round =
        calls.ask(
            reachable,
            RefreshCommitRequest.TYPE,
            n -> request,
            EpochResponse.class,
            properties.requestDeadline());
    List<String> pending = new ArrayList<>(unknown);
    OperationSteps.notAt(next, round, pending);
    if (pending.isEmpty()) {
      operations.transition(
          op.id(),
          owner,
          State.COMMITTING,
          State.COMMITTED,
          "every participant holds epoch " + next + " and erased epoch " + op.fromEpoch());
      log.info("refresh {} of wallet {}: epoch {} committed", op.id(), op.walletId(), next);
    } else {
      steps.later(op, owner, "not committed yet on " + pending + " " + round.why(), false);
    }
  }

  private static Optional<Map<String, Endpoint>> all(
      Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (String node : wallet.participants()) {
      Optional<Endpoint> e = OperationSteps.endpoint(known, node);
      if (e.isEmpty()) {
        return Optional.empty();
      }
      endpoints.put(node, e.get());
    }
    return Optional.of(endpoints);
  }
}
