package io.mpcw.node.policy;

import io.mpcw.votes.VoteRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * What this node approved per wallet within the last 24 h, in memory: a restart forgets it. Amounts
 * are keyed by transaction, so asking again about the same transaction neither counts it twice nor
 * rejects it against its own earlier approval.
 */
public final class SpendWindow {

  static final Duration WINDOW = Duration.ofHours(24);

  private final Clock clock;
  private final Map<UUID, Map<UUID, Spend>> byWallet = new HashMap<>();

  public SpendWindow(Clock clock) {
    this.clock = clock;
  }

  /**
   * Decides under a lock and reserves the amount when approved, so two payments racing on one
   * wallet cannot both fit under the limit that only one of them fits under.
   */
  public synchronized PolicyDecision admit(
      VoteRequest request, Function<PolicyState, PolicyDecision> policy) {
    Instant now = clock.instant();
    Map<UUID, Spend> wallet = byWallet.computeIfAbsent(request.walletId(), id -> new HashMap<>());
    wallet.values().removeIf(spend -> !spend.at().isAfter(now.minus(WINDOW)));
    long spent =
        wallet.entrySet().stream()
            .filter(e -> !e.getKey().equals(request.txId()))
            .mapToLong(e -> e.getValue().amountSats())
            .sum();
    PolicyDecision decision = policy.apply(new PolicyState(spent));
    if (decision.approved()) {
      wallet.putIfAbsent(request.txId(), new Spend(request.amountSats(), now));
    } else {
      wallet.remove(request.txId());
    }
    if (wallet.isEmpty()) {
      byWallet.remove(request.walletId());
    }
    return decision;
  }

  /** Keeps an approval the ledger holds, even if this evaluation would not have reserved it. */
  public synchronized void hold(VoteRequest request) {
    byWallet
        .computeIfAbsent(request.walletId(), id -> new HashMap<>())
        .putIfAbsent(request.txId(), new Spend(request.amountSats(), clock.instant()));
  }

  /** Forgets a reservation whose vote did not end up as an approval in the ledger. */
  public synchronized void release(UUID walletId, UUID txId) {
    byWallet.computeIfPresent(
        walletId,
        (id, wallet) -> {
          wallet.remove(txId);
          return wallet.isEmpty() ? null : wallet;
        });
  }

  private record Spend(long amountSats, Instant at) {}
}
