package io.mpcw.protocol.share;

import java.util.Optional;
import java.util.UUID;

/**
 * Where a node keeps its wallet shares. The node's implementation encrypts them at rest; {@link
 * MemoryShareStore} is for tests.
 */
public interface ShareStore {
  Optional<WalletShare> find(UUID walletId);

  /**
   * Stores a new share durably before returning.
   *
   * @throws IllegalStateException when a share for this wallet already exists (never overwritten)
   */
  void save(WalletShare share);
}
