package io.mpcw.node.policy;

import io.mpcw.node.journal.NodeJournal;
import io.mpcw.votes.VoteRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What this node approved per wallet within the last 24 h. Amounts are keyed by transaction, so
 * asking again about the same transaction neither counts it twice nor rejects it against its own
 * earlier approval.
 *
 * <p>With a {@link NodeJournal}, every reservation is on disk before {@link #admit} returns, that
 * is before the node signs its approval, and a restart reads them back: a restarted node does not
 * approve the full daily limit again. Without one (tests of the policy alone) it is memory only.
 */
public final class SpendWindow {

  public static final Duration WINDOW = Duration.ofHours(24);
  private static final String APPROVED = "approved";
  private static final String RELEASED = "released";

  private final Clock clock;
  private final Optional<NodeJournal> journal;
  private final Map<UUID, Map<UUID, Spend>> byWallet = new HashMap<>();

  /** A window in memory only: a restart forgets it. */
  public SpendWindow(Clock clock) {
    this.clock = clock;
    this.journal = Optional.empty();
  }

  /** A durable window, replaying what {@code journal} holds. */
  public SpendWindow(Clock clock, NodeJournal journal) {
    this.clock = clock;
    this.journal = Optional.of(journal);
    for (NodeJournal.Entry entry : journal.entries()) {
      List<String> f = entry.fields();
      if (APPROVED.equals(entry.kind())) {
        byWallet
            .computeIfAbsent(UUID.fromString(f.get(0)), id -> new HashMap<>())
            .putIfAbsent(
                UUID.fromString(f.get(1)), new Spend(Long.parseLong(f.get(2)), entry.at()));
      } else if (RELEASED.equals(entry.kind())) {
        forget(UUID.fromString(f.get(0)), UUID.fromString(f.get(1)));
      }
    }
  }

  /** Whether journal entries of {@code kind} are this window's (they expire with it). */
  public static boolean owns(String kind) {
    return Set.of(APPROVED, RELEASED).contains(kind);
  }

  /**
   * Decides under a lock and reserves the amount when approved, so two payments racing on one
   * wallet cannot both fit under the limit that only one of them fits under. A new reservation is
   * durable before this returns.
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
      reserve(wallet, request, now);
    }
    if (wallet.isEmpty()) {
      byWallet.remove(request.walletId());
    }
    return decision;
  }

  /** Keeps an approval the ledger holds, even if this evaluation would not have reserved it. */
  public synchronized void hold(VoteRequest request) {
    reserve(
        byWallet.computeIfAbsent(request.walletId(), id -> new HashMap<>()),
        request,
        clock.instant());
  }

  /**
   * Forgets a reservation whose approval provably never left the node: the ledger holds this node's
   * rejection of the transaction instead.
   */
  public synchronized void release(UUID walletId, UUID txId) {
    Map<UUID, Spend> wallet = byWallet.get(walletId);
    if (wallet == null || !wallet.containsKey(txId)) {
      return;
    }
    journal.ifPresent(
        j ->
            j.append(
                new NodeJournal.Entry(
                    RELEASED, clock.instant(), List.of(walletId.toString(), txId.toString()))));
    forget(walletId, txId);
  }

  private void reserve(Map<UUID, Spend> wallet, VoteRequest request, Instant now) {
    if (wallet.containsKey(request.txId())) {
      return;
    }
    // on disk first: if the write fails, nothing is signed and nothing is reserved
    journal.ifPresent(
        j ->
            j.append(
                new NodeJournal.Entry(
                    APPROVED,
                    now,
                    List.of(
                        request.walletId().toString(),
                        request.txId().toString(),
                        Long.toString(request.amountSats())))));
    wallet.put(request.txId(), new Spend(request.amountSats(), now));
  }

  private void forget(UUID walletId, UUID txId) {
    byWallet.computeIfPresent(
        walletId,
        (id, wallet) -> {
          wallet.remove(txId);
          return wallet.isEmpty() ? null : wallet;
        });
  }

  private record Spend(long amountSats, Instant at) {}
}
