package io.mpcw.protocol.share;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A share store in memory, for tests and test peers; nothing survives the process. */
public final class MemoryShareStore implements ShareStore {
  private final Map<UUID, WalletShare> shares = new ConcurrentHashMap<>();

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
}
