package io.mpcw.protocol.signing;

import io.mpcw.crypto.frost.SigningNonces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The nonce pairs behind this node's pre-shared commitments, in memory only (a restarted node has
 * none, so its old commitments are void), each under a random one-time id. Bounded per wallet: a
 * new commitment beyond the bound evicts the wallet's oldest, erasing its nonces; each expires
 * after the TTL. {@link #take} removes what it returns, so a nonce is handed out at most once.
 */
final class CommitmentPool {
  /** A pending commitment's nonces and what they may sign for. */
  record Pending(UUID walletId, long epoch, SigningNonces nonces, Instant expiry) {}

  private final int perWallet;
  private final Duration ttl;
  private final Clock clock;
  private final Map<UUID, Pending> byId = new HashMap<>();
  private final Map<UUID, Deque<UUID>> byWallet = new HashMap<>();

  CommitmentPool(int perWallet, Duration ttl, Clock clock) {
    if (perWallet < 1) {
      throw new IllegalArgumentException("perWallet must be positive");
    }
    this.perWallet = perWallet;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Keeps the nonces under fresh ids, evicting the wallet's oldest beyond the bound. */
  synchronized List<UUID> add(UUID walletId, long epoch, List<SigningNonces> nonces) {
    Instant expiry = clock.instant().plus(ttl);
    Deque<UUID> order = byWallet.computeIfAbsent(walletId, w -> new ArrayDeque<>());
    List<UUID> ids = new ArrayList<>();
    for (SigningNonces n : nonces) {
      UUID id = UUID.randomUUID();
      byId.put(id, new Pending(walletId, epoch, n, expiry));
      order.addLast(id);
      ids.add(id);
    }
    while (order.size() > perWallet) {
      Pending evicted = byId.remove(order.removeFirst());
      if (evicted != null) {
        evicted.nonces().close();
      }
    }
    return ids;
  }

  /**
   * Removes and returns the pending commitments under {@code ids} (in their order; an unknown,
   * used, evicted or expired id is absent from the result). The caller erases the nonces it got.
   */
  synchronized Map<UUID, Pending> take(Collection<UUID> ids) {
    purgeExpired();
    Map<UUID, Pending> out = new LinkedHashMap<>();
    for (UUID id : ids) {
      Pending p = byId.remove(id);
      if (p != null) {
        byWallet.get(p.walletId()).remove(id);
        out.put(id, p);
      }
    }
    return out;
  }

  /** Erases the nonces of every expired commitment. */
  synchronized void purgeExpired() {
    Instant now = clock.instant();
    Iterator<Map.Entry<UUID, Pending>> it = byId.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<UUID, Pending> e = it.next();
      if (!now.isBefore(e.getValue().expiry())) {
        e.getValue().nonces().close();
        byWallet.get(e.getValue().walletId()).remove(e.getKey());
        it.remove();
      }
    }
  }

  synchronized int size() {
    purgeExpired();
    return byId.size();
  }
}
