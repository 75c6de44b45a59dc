package io.mpcw.orchestrator.lifecycle;

import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.lifecycle.KeyOperation.State;
import io.mpcw.protocol.lifecycle.LifecycleMessages.EpochResponse;
import io.mpcw.transport.Endpoint;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every key-operation coordinator (refresh, repair, reshare) takes the same way: find a
 * participant's address, ask the nodes again later, give up on a dealing after {@code
 * max-dealing-attempts}, discard what a failed dealing staged, pass on what each dealer sealed to a
 * recipient, and see who has not answered the new epoch yet. Kept once so that the coordinators
 * cannot drift apart on the rules that keep a wallet safe (a dealing discarded only while the
 * operation is held, the same back-off).
 */
final class OperationSteps {
  private static final Logger log = LoggerFactory.getLogger(OperationSteps.class);

  private final KeyOperations operations;
  private final NodeCalls calls;
  private final LifecycleProperties properties;

  OperationSteps(KeyOperations operations, NodeCalls calls, LifecycleProperties properties) {
    this.operations = operations;
    this.calls = calls;
    this.properties = properties;
  }

  /**
   * Due again after the retry delay; after a failed attempt, after a delay that doubles with each
   * attempt (up to 32 retry delays), so a node that just restarted — which the transport may reach
   * only once its old connection timed out — has time to come back before the attempts run out.
   */
  void later(KeyOperation op, UUID owner, String why, boolean attempt) {
    log.info("operation {} ({}): {}", op.id(), op.state().wireName(), why);
    Duration delay =
        attempt
            ? properties.retryDelay().multipliedBy(1L << Math.min(op.attempts() + 1, 5))
            : properties.retryDelay();
    operations.retryLater(op.id(), owner, delay, why, attempt);
  }

  /**
   * A {@code what} attempt in {@code dealing} failed: aborted after {@code max-dealing-attempts},
   * tried again later otherwise.
   */
  void failedAttempt(KeyOperation op, UUID owner, String what, String why) {
    if (op.attempts() + 1 >= properties.maxDealingAttempts()) {
      operations.transition(
          op.id(),
          owner,
          State.DEALING,
          State.ABORTED,
          what + " failed " + (op.attempts() + 1) + " times, last: " + why);
    } else {
      later(op, owner, what + " attempt " + (op.attempts() + 1) + " failed: " + why, true);
    }
  }

  /**
   * Asks every reachable node in {@code nodes} to drop what it staged for the failed dealing, only
   * while this runner still holds the operation (another runner's staging is its own business).
   *
   * @return whether the operation was still held
   */
  boolean discardStaged(
      KeyOperation op,
      UUID owner,
      Collection<String> nodes,
      Map<String, NodeDirectory.KnownNode> known,
      String type,
      Object abort) {
    Map<String, Endpoint> reachable = new LinkedHashMap<>();
    nodes.forEach(n -> endpoint(known, n).ifPresent(e -> reachable.put(n, e)));
    return operations.whileHeld(
        op.id(),
        owner,
        State.DEALING,
        () ->
            calls.ask(
                reachable, type, n -> abort, EpochResponse.class, properties.requestDeadline()));
  }

  /** The nodes whose commit did not (yet) answer {@code epoch}: failed or another epoch. */
  static void notAt(long epoch, NodeCalls.Round<EpochResponse> round, List<String> pending) {
    pending.addAll(round.failures().keySet());
    round
        .replies()
        .forEach(
            (node, reply) -> {
              if (reply.epoch() != epoch) {
                pending.add(node);
              }
            });
  }

  /** What every other sender of round 1 sealed to {@code recipient}, by sender. */
  static <R> Map<String, String> sealedTo(
      String recipient, Map<String, R> replies, Function<R, Map<String, String>> sealed) {
    Map<String, String> out = new LinkedHashMap<>();
    replies.forEach(
        (sender, reply) -> {
          String box = sealed.apply(reply).get(recipient);
          if (!sender.equals(recipient) && box != null) {
            out.put(sender, box);
          }
        });
    return out;
  }

  static Optional<Endpoint> endpoint(Map<String, NodeDirectory.KnownNode> known, String node) {
    return Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::endpoint);
  }

  static Optional<X509Certificate> certificate(
      Map<String, NodeDirectory.KnownNode> known, String node) {
    return Optional.ofNullable(known.get(node)).flatMap(NodeDirectory.KnownNode::certificate);
  }
}
