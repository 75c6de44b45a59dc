package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.cluster.NodeDirectory;
import io.mpcw.orchestrator.wallet.Wallet;
import io.mpcw.orchestrator.wallet.Wallets;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.protocol.signing.PooledCommitment;
import io.mpcw.protocol.signing.SignPrecommitRequest;
import io.mpcw.protocol.signing.SignPrecommitResponse;
import io.mpcw.transport.Endpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The signers' commitments made ahead of time ({@code sign.precommit.v1}), in this replica's memory
 * only, a small pool per (node, wallet, key epoch): a session takes one per input from each of its
 * signers and needs only round 2. Every commitment received is recorded in {@link SeenCommitments}
 * first; a batch holding one seen before is refused whole (a nonce reused would reveal the node's
 * key share). A pool below its low-water mark is refilled in the background; a replica that starts
 * warms the pools of every ready wallet's participants. Nothing here is persisted: a new replica
 * fetches new commitments, so no commitment is ever used by two replicas.
 */
@Component
class CommitmentPools {
  private static final Logger log = LoggerFactory.getLogger(CommitmentPools.class);

  /** One pooled commitment; {@code decoded} is {@code commitment} read once. */
  record Pooled(PooledCommitment wire, SigningCommitments decoded, Instant receivedAt) {}

  private record Key(String node, UUID walletId, long epoch) {}

  private final SightingWriter seen;
  private final SignerRequests requests;
  private final NodeDirectory directory;
  private final Wallets wallets;
  private final SigningProperties properties;
  private final SigningMetrics metrics;
  private final Clock clock;
  private final Map<Key, Deque<Pooled>> pools = new HashMap<>();
  private final Map<Key, CompletableFuture<Integer>> refilling = new HashMap<>();
  // accepting a batch writes each commitment to PostgreSQL (seen_commitments): never on the QUIC
  // event loop that completes the request, where a slow database would hold every other reply
  private static final Executor ACCEPTING =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "commitments-accept");
            t.setDaemon(true);
            return t;
          });

  CommitmentPools(
      SightingWriter seen,
      SignerRequests requests,
      NodeDirectory directory,
      Wallets wallets,
      SigningProperties properties,
      SigningMetrics metrics) {
    this.seen = seen;
    this.requests = requests;
    this.directory = directory;
    this.wallets = wallets;
    this.properties = properties;
    this.metrics = metrics;
    this.clock = Clock.systemUTC();
  }

  /** On start: every ready wallet's participants get a pool, so the first payment finds one. */
  @EventListener(ApplicationReadyEvent.class)
  void warm() {
    try {
      wallets.list().stream().filter(Wallet::isReady).forEach(this::warm);
    } catch (RuntimeException e) {
      log.warn("commitment pools not warmed: {}", e.toString());
    }
  }

  /** Fills the pool of each participant of the wallet that the directory knows an address of. */
  void warm(Wallet wallet) {
    Map<String, NodeDirectory.KnownNode> known = directory.nodes();
    for (String node : wallet.participants()) {
      Optional.ofNullable(known.get(node))
          .flatMap(NodeDirectory.KnownNode::endpoint)
          .ifPresent(endpoint -> refill(wallet, node, endpoint, properties.commitmentPool()));
    }
  }

  /** Pooled commitments of the node usable now. */
  synchronized int available(String node, Wallet wallet) {
    return live(new Key(node, wallet.id(), wallet.keyEpoch())).size();
  }

  /**
   * Takes {@code count} commitments of the node (oldest first), or none if it has fewer; a pool
   * left below its low-water mark is refilled in the background.
   */
  Optional<List<Pooled>> take(String node, Wallet wallet, Endpoint endpoint, int count) {
    Optional<List<Pooled>> taken;
    int left;
    synchronized (this) {
      Deque<Pooled> pool = live(new Key(node, wallet.id(), wallet.keyEpoch()));
      if (pool.size() < count) {
        taken = Optional.empty();
      } else {
        List<Pooled> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          out.add(pool.removeFirst());
        }
        taken = Optional.of(out);
      }
      left = pool.size();
    }
    if (left < properties.commitmentLowWater()) {
      refill(wallet, node, endpoint, properties.commitmentPool() - left);
    }
    return taken;
  }

  /** Forgets the node's pooled commitments of the wallet: it restarted, so they are void. */
  synchronized void drop(String node, Wallet wallet) {
    pools.remove(new Key(node, wallet.id(), wallet.keyEpoch()));
  }

  /**
   * Asks the node for {@code count} fresh commitments, unless a request for its pool is in flight
   * already; completes with how many were pooled (0 when the node did not answer or cheated).
   */
  CompletableFuture<Integer> refill(Wallet wallet, String node, Endpoint endpoint, int count) {
    Key key = new Key(node, wallet.id(), wallet.keyEpoch());
    CompletableFuture<Integer> result;
    synchronized (this) {
      CompletableFuture<Integer> inFlight = refilling.get(key);
      if (inFlight != null) {
        return inFlight;
      }
      result = new CompletableFuture<>();
      refilling.put(key, result);
    }
    byte[] request =
        ProtocolMessages.encode(
            new SignPrecommitRequest(
                wallet.id(),
                wallet.keyEpoch(),
                Math.max(1, Math.min(count, SignPrecommitRequest.MAX_COUNT))));
    requests
        .send(node, endpoint, SignPrecommitRequest.TYPE, request, SignPrecommitResponse.class)
        .handleAsync(
            (reply, failure) -> {
              int pooled = 0;
              try {
                if (failure != null) {
                  log.info(
                      "no commitments from {} for wallet {}: {}",
                      node,
                      wallet.id(),
                      SignerRequests.describe(failure));
                } else if (reply.epoch() == wallet.keyEpoch()
                    && reply.nodeId().equals(node)
                    && reply.identifier() == wallet.identifierOf(node)) {
                  pooled = accept(wallet, node, reply.commitments()).orElse(0);
                }
              } catch (RuntimeException e) {
                // e.g. the database failed while recording them: none pooled, the next refill asks
                log.warn("commitments of {} not pooled: {}", node, e.toString());
              } finally {
                // always: a refill left in flight would stop every later one for this pool
                synchronized (this) {
                  refilling.remove(key);
                }
                result.complete(pooled);
              }
              return null;
            },
            ACCEPTING);
    return result;
  }

  /**
   * Pools commitments the node sent (after a precommit or with its shares), each recorded as seen;
   * empty when the batch is refused: a commitment unreadable, for another identifier, or seen
   * before. The caller holds that against the node.
   */
  Optional<Integer> accept(Wallet wallet, String node, List<PooledCommitment> fresh) {
    Identifier expected = Identifier.of(wallet.identifierOf(node));
    List<Pooled> batch = new ArrayList<>();
    List<SeenCommitments.Sighting> sightings = new ArrayList<>();
    Instant now = clock.instant();
    for (PooledCommitment c : fresh) {
      SigningCommitments decoded;
      try {
        decoded = SigningCommitments.decode(Hex.decode(c.commitment()));
      } catch (RuntimeException e) {
        return refused(node, "an unreadable commitment");
      }
      if (!decoded.identifier().equals(expected)) {
        return refused(node, "a commitment for another identifier");
      }
      batch.add(new Pooled(c, decoded, now));
      sightings.add(new SeenCommitments.Sighting(wallet.id(), decoded.encode(), node, c.id()));
    }
    // all recorded as seen, even beside one seen before: none of them is ever pooled then
    if (seen.firstSights(sightings).contains(false)) {
      return refused(node, "a nonce commitment seen before (nonce reuse)");
    }
    synchronized (this) {
      live(new Key(node, wallet.id(), wallet.keyEpoch())).addAll(batch);
    }
    metrics.commitmentsPooled(batch.size());
    return Optional.of(batch.size());
  }

  private Optional<Integer> refused(String node, String what) {
    log.warn("commitments of {} refused: {}", node, what);
    metrics.commitmentsRefused();
    return Optional.empty();
  }

  /** The pool of the key without commitments older than the nodes keep their nonces. */
  private Deque<Pooled> live(Key key) {
    Deque<Pooled> pool = pools.computeIfAbsent(key, k -> new ArrayDeque<>());
    Instant oldest = clock.instant().minus(properties.commitmentMaxAge());
    pool.removeIf(p -> p.receivedAt().isBefore(oldest));
    return pool;
  }
}
