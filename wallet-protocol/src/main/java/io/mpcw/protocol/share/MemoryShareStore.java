package io.mpcw.protocol.share;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A share store in memory, for tests and test peers; nothing survives the process. */
public final class MemoryShareStore implements ShareStore {
  private final Map<UUID, WalletShare> shares = new ConcurrentHashMap<>();
  private final Map<UUID, WalletShare> staged = new ConcurrentHashMap<>();

  @Override
  public Optional<WalletShare> find(UUID walletId) {
    return Optional.ofNullable(shares.get(walletId));
  }

  @Override
  public void save(WalletShare share) {
    if (shares.putIfAbsent(share.walletId(), share) != null) {
      throw new IllegalStateException("a share for wallet " + share.walletId() + " exists");
    }
  }

  @Override
  public Optional<WalletShare> staged(UUID walletId, long epoch) {
    return Optional.ofNullable(staged.get(walletId)).filter(s -> s.epoch() == epoch);
  }

  @Override
  public synchronized void stage(WalletShare next) {
    WalletShare current = shares.get(next.walletId());
    ShareEpochs.requireStageable(current, next);
    staged.put(next.walletId(), next);
  }

  @Override
  public synchronized void commit(UUID walletId, long epoch) {
    WalletShare current = shares.get(walletId);
    if (current != null && current.epoch() == epoch) {
      return;
    }
    WalletShare next =
        staged(walletId, epoch).orElseThrow(() -> ShareEpochs.nothingToCommit(walletId, epoch));
    shares.put(walletId, next);
    staged.remove(walletId);
  }

  /** Forgets the current share, as a lost share file would (repair tests). */
  public void lose(UUID walletId) {
    shares.remove(walletId);
    staged.remove(walletId);
  }

  @Override
  public synchronized void discard(UUID walletId, long epoch) {
    staged.computeIfPresent(walletId, (id, s) -> s.epoch() == epoch ? null : s);
  }

  @Override
  public synchronized void erase(UUID walletId, long epoch) {
    WalletShare current = shares.get(walletId);
    if (current != null && current.epoch() >= epoch) {
      throw ShareEpochs.stillAParticipant(walletId, current.epoch(), epoch);
    }
    shares.remove(walletId);
    staged.remove(walletId);
  }
}
