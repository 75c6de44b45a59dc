package io.mpcw.orchestrator.lifecycle;

import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.orchestrator.registry.RegistryUnavailableException;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshAbortRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshCommitRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart1Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Request;
import io.mpcw.protocol.lifecycle.LifecycleMessages.RefreshPart2Response;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteRequest;
import io.mpcw.protocol.lifecycle.LifecycleMessages.VoteResponse;
import io.mpcw.protocol.lifecycle.LifecycleVote;
import io.mpcw.protocol.lifecycle.RefreshParticipant;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart1Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Request;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairPart2Response;
import io.mpcw.protocol.lifecycle.RepairMessages.RepairRecoverRequest;
import io.mpcw.transport.Endpoint;
import java.security.cert.X509Certificate;
import java.time.Instant;
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
 * see {@link #repair}), each step from the state stored in PostgreSQL, so whichever runner claims
 * the operation next (after a crash, another replica) goes on from there:
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
      later(op, owner, "registry: " + e.getMessage(), false);
      return;
    }
    switch (op.state()) {
      case VOTING -> vote(op, owner, wallet, known);
      case DEALING -> {
        if (RefreshParticipant.REPAIR.equals(op.kind())) {
          repair(op, owner, wallet, known);
        } else {
          deal(op, owner, wallet, known);
        }
      }
      case COMMITTING -> commit(op, owner, wallet, known);
      default -> throw new IllegalStateException("terminal operation claimed: " + op.id());
    }
  }

  private void vote(
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
        endpoint(known, node).ifPresentOrElse(e -> ask.put(node, e), () -> unknown.add(node));
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
              if (certificate(known, node).map(c -> vote.writtenBy(node, c)).orElse(false)
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
      later(
          op,
          owner,
          approvals.size() + " of " + t + " approvals; waiting for " + unknown + " " + round.why(),
          false);
    }
  }

  private void deal(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    // part 1 and part 2 must both fit in the lease, or another runner may deal beside this one
    if (!operations.holds(op.id(), owner, properties.requestDeadline().multipliedBy(2))) {
      later(op, owner, "lease too short to deal", false);
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
              Map<String, String> sealed = new LinkedHashMap<>();
              round1
                  .replies()
                  .forEach(
                      (dealer, reply) -> {
                        String box = reply.sealed().get(recipient);
                        if (!dealer.equals(recipient) && box != null) {
                          sealed.put(dealer, box);
                        }
                      });
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
   * A repair's one dealing step: t helpers (rotated over the attempts, so a helper that is down is
   * left out next time) each split their part of the lost share; each sums what it received and
   * seals the sum to the lost participant, which rebuilds its share and checks it. Nothing is
   * staged anywhere, so a failed attempt needs no clean-up.
   */
  private void repair(
      KeyOperation op, UUID owner, Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    String lost = op.subject();
    Optional<Endpoint> lostEndpoint = endpoint(known, lost);
    List<String> candidates = new ArrayList<>();
    wallet.participants().stream()
        .filter(n -> !n.equals(lost) && endpoint(known, n).isPresent())
        .forEach(candidates::add);
    int t = wallet.threshold();
    if (lostEndpoint.isEmpty() || candidates.size() < t) {
      failedRepair(op, owner, "not enough participants with a known address");
      return;
    }
    java.util.Collections.rotate(candidates, -(op.attempts() % candidates.size()));
    List<String> helpers = List.copyOf(candidates.subList(0, t));
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    helpers.forEach(h -> endpoints.put(h, endpoint(known, h).orElseThrow()));
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
      failedRepair(op, owner, "part 1: " + round1.why());
      return;
    }
    NodeCalls.Round<RepairPart2Response> round2 =
        calls.ask(
            endpoints,
            RepairPart2Request.TYPE,
            helper -> {
              Map<String, String> sealed = new LinkedHashMap<>();
              round1
                  .replies()
                  .forEach(
                      (sender, reply) -> {
                        String box = reply.sealed().get(helper);
                        if (!sender.equals(helper) && box != null) {
                          sealed.put(sender, box);
                        }
                      });
              return new RepairPart2Request(op.id(), op.walletId(), op.fromEpoch(), sealed);
            },
            RepairPart2Response.class,
            properties.requestDeadline());
    if (!round2.complete()) {
      failedRepair(op, owner, "part 2: " + round2.why());
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
      failedRepair(op, owner, "recover: " + round3.why());
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

  private void failedRepair(KeyOperation op, UUID owner, String why) {
    if (op.attempts() + 1 >= properties.maxDealingAttempts()) {
      operations.transition(
          op.id(),
          owner,
          State.DEALING,
          State.ABORTED,
          "repair failed " + (op.attempts() + 1) + " times, last: " + why);
    } else {
      later(op, owner, "repair attempt " + (op.attempts() + 1) + " failed: " + why, true);
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
    Map<String, Endpoint> reachable = new LinkedHashMap<>();
    wallet.participants().forEach(n -> endpoint(known, n).ifPresent(e -> reachable.put(n, e)));
    RefreshAbortRequest abort = new RefreshAbortRequest(op.id(), op.walletId(), op.fromEpoch() + 1);
    boolean held =
        operations.whileHeld(
            op.id(),
            owner,
            State.DEALING,
            () ->
                calls.ask(
                    reachable,
                    RefreshAbortRequest.TYPE,
                    n -> abort,
                    EpochResponse.class,
                    properties.requestDeadline()));
    if (!held) {
      // another runner has the operation now: what it staged is its own business
      log.info("operation {}: lost before discarding a failed dealing", op.id());
      return;
    }
    if (op.attempts() + 1 >= properties.maxDealingAttempts()) {
      operations.transition(
          op.id(),
          owner,
          State.DEALING,
          State.ABORTED,
          "dealing failed " + (op.attempts() + 1) + " times, last: " + why);
    } else {
      later(op, owner, "dealing attempt " + (op.attempts() + 1) + " failed: " + why, true);
    }
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
                endpoint(known, n).ifPresentOrElse(e -> reachable.put(n, e), () -> unknown.add(n)));
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
    round.failures().keySet().forEach(pending::add);
    round
        .replies()
        .forEach(
            (node, reply) -> {
              if (reply.epoch() != next) {
                pending.add(node);
              }
            });
    if (pending.isEmpty()) {
      operations.transition(
          op.id(),
          owner,
          State.COMMITTING,
          State.COMMITTED,
          "every participant holds epoch " + next + " and erased epoch " + op.fromEpoch());
      log.info("refresh {} of wallet {}: epoch {} committed", op.id(), op.walletId(), next);
    } else {
      later(op, owner, "not committed yet on " + pending + " " + round.why(), false);
    }
  }

  /**
   * Due again after the retry delay; after a failed attempt, after a delay that doubles with each
   * attempt (up to 32 retry delays), so a node that just restarted — which the transport may reach
   * only once its old connection timed out — has time to come back before the attempts run out.
   */
  private void later(KeyOperation op, UUID owner, String why, boolean attempt) {
    log.info("operation {} ({}): {}", op.id(), op.state().wireName(), why);
    java.time.Duration delay =
        attempt
            ? properties.retryDelay().multipliedBy(1L << Math.min(op.attempts() + 1, 5))
            : properties.retryDelay();
    operations.retryLater(op.id(), owner, delay, why, attempt);
  }

  private static Optional<Map<String, Endpoint>> all(
      Wallet wallet, Map<String, NodeDirectory.KnownNode> known) {
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (String node : wallet.participants()) {
      Optional<Endpoint> e = endpoint(known, node);
      if (e.isEmpty()) {
        return Optional.empty();
      }
      endpoints.put(node, e.get());
    }
    return Optional.of(endpoints);
  }

  private static Optional<Endpoint> endpoint(
      Map<String, NodeDirectory.KnownNode> known, String node) {
    return Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::endpoint);
  }

  private static Optional<X509Certificate> certificate(
      Map<String, NodeDirectory.KnownNode> known, String node) {
    return Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::certificate);
  }
}
