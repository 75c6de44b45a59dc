package io.mpcw.orchestrator.lifecycle;

import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.lifecycle.KeyOperation.NewSet;
import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareAbortRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareCommitRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealRequest;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareDealResponse;
import io.mpcw.protocol.lifecycle.ReshareMessages.ReshareReceiveRequest;
import io.mpcw.transport.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Drives a reshare past its vote (which {@link RefreshCoordinator} runs as for a refresh: the
 * current participants decide, their signed votes bind the new set and threshold), one step per
 * call from the state in PostgreSQL:
 *
 * <ul>
 *   <li>{@code dealing}: t current participants deal (rotated over the attempts, so a dealer that
 *       is down is left out next time), every node of the new set receives, checks and stages. Any
 *       failure discards what was staged ({@code reshare.abort.v1}) and deals again later; after
 *       {@code max-dealing-attempts} → {@code aborted}, the wallet unchanged in its epoch. Success
 *       → {@code committing}: in the same database transaction the wallet moves to the new epoch,
 *       participants and threshold.
 *   <li>{@code committing}: sends the commit to the new set (the staged share becomes current) and
 *       to the nodes leaving (they erase their share) until every one of them answers the new epoch
 *       → {@code committed}. Never aborted: every new participant holds its share staged, and is
 *       waited for. A leaving node that does not answer is asked {@code max-dealing-attempts} times
 *       (backing off), then the operation commits naming it: its old share cannot sign in the new
 *       epoch, and must be destroyed by hand.
 * </ul>
 */
@Component
class ReshareCoordinator {
  private static final Logger log = LoggerFactory.getLogger(ReshareCoordinator.class);

  private final Wallets wallets;
  private final KeyOperations operations;
  private final NodeDirectory directory;
  private final NodeCalls calls;
  private final LifecycleProperties properties;
  private final OperationSteps steps;

  ReshareCoordinator(
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
  }

  /** One step of the reshare {@code op} in {@code dealing} or {@code committing}. */
  void step(KeyOperation op, UUID owner) {
    Wallet wallet = wallets.find(op.walletId()).orElseThrow();
    Map<String, NodeDirectory.KnownNode> known;
    try {
      known = directory.nodes();
    } catch (RegistryUnavailableException e) {
      steps.later(op, owner, "registry: " + e.getMessage(), false);
      return;
    }
    switch (op.state()) {
      case DEALING -> deal(op, owner, wallet, known);
      case COMMITTING -> commit(op, owner, known);
      default -> throw new IllegalStateException("reshare step in " + op.state() + ": " + op.id());
    }
  }

  private void deal(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    // dealing and receiving must both fit in the lease, or another runner may deal beside this one
    if (!operations.holds(op.id(), owner, properties.requestDeadline().multipliedBy(2))) {
      steps.later(op, owner, "lease too short to deal", false);
      return;
    }
    NewSet target = op.target().orElseThrow();
    Map<String, Endpoint> receivers = new LinkedHashMap<>();
    for (String node : target.participants()) {
      Optional<Endpoint> e = OperationSteps.endpoint(known, node);
      if (e.isEmpty()) {
        failedDealing(op, owner, known, node + " has no known address");
        return;
      }
      receivers.put(node, e.get());
    }
    int t = wallet.threshold();
    List<String> candidates = new ArrayList<>();
    target.previous().stream()
        .filter(n -> OperationSteps.endpoint(known, n).isPresent())
        .forEach(candidates::add);
    if (candidates.size() < t) {
      failedDealing(op, owner, known, "fewer than " + t + " current participants are reachable");
      return;
    }
    Collections.rotate(candidates, -(op.attempts() % candidates.size()));
    List<String> dealers =
        candidates.subList(0, t).stream()
            .sorted((a, b) -> target.previous().indexOf(a) - target.previous().indexOf(b))
            .toList();
    Map<String, Endpoint> dealerEndpoints = new LinkedHashMap<>();
    dealers.forEach(d -> dealerEndpoints.put(d, OperationSteps.endpoint(known, d).orElseThrow()));
    ReshareDealRequest dealRequest =
        new ReshareDealRequest(
            op.id(),
            op.walletId(),
            op.fromEpoch(),
            target.threshold(),
            target.participants(),
            dealers,
            op.votes());
    NodeCalls.Round<ReshareDealResponse> dealt =
        calls.ask(
            dealerEndpoints,
            ReshareDealRequest.TYPE,
            n -> dealRequest,
            ReshareDealResponse.class,
            properties.requestDeadline());
    if (!dealt.complete()) {
      failedDealing(op, owner, known, "deal: " + dealt.why());
      return;
    }
    Map<String, String> commitments = new LinkedHashMap<>();
    dealt.replies().forEach((node, reply) -> commitments.put(node, reply.commitment()));
    long next = op.fromEpoch() + 1;
    String oldPublicKeys = Hex.encode(wallet.publicKeyPackage().orElseThrow().encode());
    String groupKey = Hex.encode(wallet.groupPublicKey().orElseThrow());
    NodeCalls.Round<RefreshPart2Response> received =
        calls.ask(
            receivers,
            ReshareReceiveRequest.TYPE,
            receiver -> {
              Map<String, String> sealed =
                  OperationSteps.sealedTo(receiver, dealt.replies(), ReshareDealResponse::sealed);
              return new ReshareReceiveRequest(
                  op.id(),
                  op.walletId(),
                  next,
                  target.threshold(),
                  target.participants(),
                  dealers,
                  target.previous(),
                  oldPublicKeys,
                  groupKey,
                  commitments,
                  sealed,
                  op.votes());
            },
            RefreshPart2Response.class,
            properties.requestDeadline());
    if (!received.complete()) {
      failedDealing(op, owner, known, "receive: " + received.why());
      return;
    }
    receivedByAll(op);
    // every new participant must have staged a share of the same package, of the same key
    String agreed = received.replies().values().iterator().next().publicKeyPackage();
    Map<String, String> acks = new LinkedHashMap<>();
    for (Map.Entry<String, RefreshPart2Response> e : received.replies().entrySet()) {
      if (!e.getValue().publicKeyPackage().equalsIgnoreCase(agreed)
          || e.getValue().epoch() != next) {
        failedDealing(op, owner, known, e.getKey() + " computed another public key package");
        return;
      }
      acks.put(e.getKey(), e.getValue().ack());
    }
    byte[] publicKeys = Hex.decode(agreed);
    PublicKeyPackage decoded = PublicKeyPackage.decode(publicKeys);
    if (!decoded.verifyingKey().equals(wallet.publicKeyPackage().get().verifyingKey())
        || decoded.minSigners() != target.threshold()
        || decoded.verifyingShares().size() != target.participants().size()) {
      failedDealing(op, owner, known, "the new key package is not the approved one of this key");
      return;
    }
    if (operations.toCommitting(op, owner, publicKeys, acks)) {
      log.info(
          "reshare {} of wallet {}: committing epoch {} ({} of {}, dealers {})",
          op.id(),
          op.walletId(),
          next,
          target.threshold(),
          target.participants(),
          dealers);
    }
  }

  /**
   * Runs when every new participant has staged its share and before the operation is recorded as
   * {@code committing}: a test stops a runner dead here by overriding it.
   */
  void receivedByAll(KeyOperation op) {}

  private void failedDealing(
      KeyOperation op, UUID owner, Map<String, NodeDirectory.KnownNode> known, String why) {
    // nothing was committed: whatever was staged goes, the wallet signs on in its epoch
    ReshareAbortRequest abort = new ReshareAbortRequest(op.id(), op.walletId(), op.fromEpoch() + 1);
    if (!steps.discardStaged(
        op, owner, op.target().orElseThrow().everyone(), known, ReshareAbortRequest.TYPE, abort)) {
      log.info("reshare {}: lost before discarding a failed dealing", op.id());
      return;
    }
    steps.failedAttempt(op, owner, "dealing", why);
  }

  private void commit(KeyOperation op, UUID owner, Map<String, NodeDirectory.KnownNode> known) {
    NewSet target = op.target().orElseThrow();
    long next = op.fromEpoch() + 1;
    Map<String, Endpoint> reachable = new LinkedHashMap<>();
    List<String> pending = new ArrayList<>();
    target
        .everyone()
        .forEach(
            n ->
                OperationSteps.endpoint(known, n)
                    .ifPresentOrElse(e -> reachable.put(n, e), () -> pending.add(n)));
    ReshareCommitRequest request =
        new ReshareCommitRequest(
            op.id(),
            op.walletId(),
            next,
            target.threshold(),
            target.participants(),
            Hex.encode(op.publicKeyPackage().orElseThrow()),
            op.acks(),
            op.votes());
    NodeCalls.Round<EpochResponse> round =
        calls.ask(
            reachable,
            ReshareCommitRequest.TYPE,
            n -> request,
            EpochResponse.class,
            properties.requestDeadline());
    OperationSteps.notAt(next, round, pending);
    List<String> left =
        target.previous().stream().filter(n -> !target.participants().contains(n)).toList();
    List<String> joining = pending.stream().filter(target.participants()::contains).toList();
    List<String> leaving = pending.stream().filter(left::contains).toList();
    String holds =
        target.participants() + " hold epoch " + next + " (" + target.threshold() + " to sign)";
    if (pending.isEmpty()) {
      operations.transition(
          op.id(),
          owner,
          State.COMMITTING,
          State.COMMITTED,
          holds + (left.isEmpty() ? "" : "; " + left + " erased their shares"));
      log.info("reshare {} of wallet {}: epoch {} committed", op.id(), op.walletId(), next);
    } else if (!joining.isEmpty()) {
      // a node of the new set must make its staged share current: waited for, never given up
      steps.later(op, owner, "not committed yet on " + pending + " " + round.why(), false);
    } else if (op.attempts() + 1 >= properties.maxDealingAttempts()) {
      // the wallet is in the new epoch already; a node that leaves for good (its disk died, it was
      // decommissioned) must not hold every later operation of the wallet back
      operations.transition(
          op.id(),
          owner,
          State.COMMITTING,
          State.COMMITTED,
          holds
              + "; "
              + leaving
              + " did not confirm erasing their shares of epoch "
              + op.fromEpoch()
              + " after "
              + (op.attempts() + 1)
              + " rounds: destroy them by hand");
      log.warn(
          "reshare {} of wallet {}: {} never confirmed erasing their shares",
          op.id(),
          op.walletId(),
          leaving);
    } else {
      steps.later(op, owner, "leaving nodes not erased yet: " + leaving + " " + round.why(), true);
    }
  }
}
