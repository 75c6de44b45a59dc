package io.mpcw.protocol.share;

import java.util.UUID;

/** The rules every {@link ShareStore} applies to staging and committing epochs. */
public final class ShareEpochs {
  private ShareEpochs() {}

  /**
   * A share may be staged only after the current one. It replaces any share staged before: that one
   * belongs to an attempt that never committed (a commit needs every participant to have
   * acknowledged the very public keys of the staged share, so a replaced share cannot be). A node
   * with no current share may stage one of a later epoch than 0: it joins the wallet in a reshare.
   */
  public static void requireStageable(WalletShare current, WalletShare next) {
    if (current == null) {
      if (next.epoch() == 0) {
        throw new IllegalStateException(
            "no current share of wallet " + next.walletId() + ": epoch 0 comes from the DKG");
      }
      return;
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

  public static IllegalStateException stillAParticipant(UUID walletId, long current, long epoch) {
    return new IllegalStateException(
        "the share of wallet "
            + walletId
            + " is of epoch "
            + current
            + ", not before epoch "
            + epoch
            + ": not erased");
  }
}
