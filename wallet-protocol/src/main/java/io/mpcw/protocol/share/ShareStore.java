package io.mpcw.protocol.share;

import java.util.Optional;
import java.util.UUID;

/**
 * Where a node keeps its wallet shares. The node's implementation encrypts them at rest; {@link
 * MemoryShareStore} is for tests.
 *
 * <p>A wallet has one current share (its key epoch) and, while a refresh runs, at most one staged
 * share of a later epoch. Staging is durable but changes nothing that signs: only {@link #commit}
 * makes the staged share current, and it erases the share it replaces. A staged share that is never
 * committed is {@link #discard discarded}. A reshare may stage a share on a node with no current
 * one (it joins the wallet) and {@link #erase} the share of a node that leaves it.
 */
public interface ShareStore {
  /** The current share of the wallet. */
  Optional<WalletShare> find(UUID walletId);

  /**
   * Stores a new share durably before returning: the wallet's first (the DKG) or one rebuilt after
   * its file was lost (a repair).
   *
   * @throws IllegalStateException when a share for this wallet already exists (never overwritten)
   */
  void save(WalletShare share);

  /** The staged share of {@code epoch}, if one waits for its commit. */
  Optional<WalletShare> staged(UUID walletId, long epoch);

  /**
   * Stores {@code next} durably as the staged share of its epoch, beside the current one; it
   * replaces a share an earlier, uncommitted attempt staged.
   *
   * @throws IllegalStateException when the epoch is not after the current one, or there is no
   *     current share and the epoch is 0
   */
  void stage(WalletShare next);

  /**
   * Makes the staged share of {@code epoch} current and erases the one it replaces. Idempotent:
   * committing the epoch that is already current does nothing.
   *
   * @throws IllegalStateException when neither a staged nor a current share of the epoch exists
   */
  void commit(UUID walletId, long epoch);

  /** Erases the staged share of {@code epoch}, if any; the current share is untouched. */
  void discard(UUID walletId, long epoch);

  /**
   * Erases the current share when its epoch is before {@code epoch}, and any staged one: this node
   * is not in the set a reshare committed {@code epoch} to. Idempotent.
   *
   * @throws IllegalStateException when the current share is of {@code epoch} or later (this node is
   *     in that epoch, it keeps its share)
   */
  void erase(UUID walletId, long epoch);
}
