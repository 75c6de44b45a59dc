package io.mpcw.orchestrator.signing;

import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.transport.Endpoint;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * ROAST's ready set R for one run: the candidates with enough pooled commitments for the payment's
 * inputs, neither waiting on a session nor excluded. A candidate short of commitments is asked for
 * fresh ones and joins when they arrive.
 */
final class ReadySet {
  private final Set<String> ready = new LinkedHashSet<>();
  private final Set<String> awaitingFresh = new HashSet<>();
  private final Set<String> excluded = new HashSet<>();
  private final CommitmentPools pools;
  private final Wallet wallet;
  private final Map<String, Endpoint> endpoints;
  private final int inputs;
  private final int refillTo;
  private final BiConsumer<String, Integer> freshArrived;

  /**
   * @param endpoints the candidates, by node id
   * @param freshArrived told (node, commitments pooled) when a refill completes; it calls {@link
   *     #fresh} on the run's thread
   */
  ReadySet(
      CommitmentPools pools,
      Wallet wallet,
      Map<String, Endpoint> endpoints,
      int inputs,
      int poolSize,
      BiConsumer<String, Integer> freshArrived) {
    this.pools = pools;
    this.wallet = wallet;
    this.endpoints = endpoints;
    this.inputs = inputs;
    this.refillTo = Math.max(poolSize, inputs);
    this.freshArrived = freshArrived;
  }

  /** Puts the node into R if it has enough pooled commitments, else asks it for fresh ones. */
  void admitOrRefill(String node) {
    if (excluded.contains(node) || !endpoints.containsKey(node)) {
      return;
    }
    if (pools.available(node, wallet) >= inputs) {
      ready.add(node);
      return;
    }
    refill(node);
  }

  /** Out of R until it gives fresh commitments (asked now, once at a time). */
  void refill(String node) {
    ready.remove(node);
    if (awaitingFresh.add(node)) {
      pools
          .refill(wallet, node, endpoints.get(node), refillTo)
          .thenAccept(pooled -> freshArrived.accept(node, pooled));
    }
  }

  /** Fresh commitments of the node arrived; it joins R unless it owes a session an answer. */
  void fresh(String node, int pooled, boolean busy) {
    awaitingFresh.remove(node);
    if (pooled > 0 && !busy && !excluded.contains(node)) {
      if (pools.available(node, wallet) >= inputs) {
        ready.add(node);
      }
    }
  }

  /** Never asked again for this payment. */
  void exclude(String node) {
    ready.remove(node);
    excluded.add(node);
  }

  int size() {
    return ready.size();
  }

  List<String> nodes() {
    return List.copyOf(ready);
  }

  /** Taken into a session: out of R until it answers. */
  void take(Collection<String> nodes) {
    ready.removeAll(nodes);
  }

  /** Some refill has not answered yet. */
  boolean refilling() {
    return !awaitingFresh.isEmpty();
  }

  Set<String> excluded() {
    return Set.copyOf(excluded);
  }
}
