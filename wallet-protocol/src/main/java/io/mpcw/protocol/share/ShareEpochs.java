package io.mpcw.protocol.share;

import java.util.UUID;

/** The rules every {@link ShareStore} applies to staging and committing epochs. */
public final class ShareEpochs {
  private ShareEpochs() {}

  /**
   * A share may be staged only after the current one. It replaces any share staged before: that one
   * belongs to an attempt that never committed (a commit needs every participant to have
   * acknowledged the very public keys of the staged share, so a replaced share cannot be).
   */
  public static void requireStageable(WalletShare current, WalletShare next) {
    if (current == null) {
      throw new IllegalStateException(
          "no current share of wallet " + next.walletId() + " to refresh");
    }
    if (next.epoch() <= current.epoch()) {
      throw new IllegalStateException(
          "epoch " + next.epoch() + " is not after the current epoch " + current.epoch());
    }
  }

  public static IllegalStateException nothingToCommit(UUID walletId, long epoch) {
    return new IllegalStateException(
        "no share of epoch " + epoch + " is staged or current for wallet " + walletId);
  }
}
