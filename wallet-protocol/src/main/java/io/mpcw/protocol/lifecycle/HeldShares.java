package io.mpcw.protocol.lifecycle;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.protocol.share.ShareStore;
import io.mpcw.protocol.share.WalletShare;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * This node's shares as the lifecycle steps see them: the current share of an epoch, a new share
 * staged with its acknowledgement, and the commit that makes a staged share current (erasing the
 * old one) only once every new participant acknowledged the same public key package.
 */
final class HeldShares {
  private final LifecycleIdentity identity;
  private final ShareStore store;

  HeldShares(LifecycleIdentity identity, ShareStore store) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.store = Objects.requireNonNull(store, "store");
  }

  ShareStore store() {
    return store;
  }

  Optional<WalletShare> find(UUID walletId) {
    return store.find(walletId);
  }

  WalletShare shareOf(UUID walletId) {
    return store
        .find(walletId)
        .orElseThrow(
            () ->
                new ProtocolException(
                    ProtocolErrors.NOT_A_PARTICIPANT,
                    identity.nodeId() + " holds no share of wallet " + walletId));
  }

  /** The current share, which must be of {@code epoch}. */
  WalletShare current(UUID walletId, long epoch) {
    WalletShare share = shareOf(walletId);
    if (share.epoch() != epoch) {
      throw wrongEpoch(walletId, share.epoch(), epoch);
    }
    return share;
  }

  ProtocolException wrongEpoch(UUID walletId, long held, long asked) {
    return new ProtocolException(
        ProtocolErrors.WRONG_EPOCH,
        identity.nodeId() + " holds epoch " + held + " of wallet " + walletId + ", not " + asked);
  }

  /** Stages {@code next} durably, then signs that it did: never an ack for a share not on disk. */
  String stageAndAcknowledge(WalletShare next) {
    store.stage(next);
    return identity.acknowledge(next.walletId(), next.epoch(), next.publicKeyPackage().encode());
  }

  /** True when {@code held} already is the share of this epoch and package (a repeated commit). */
  static boolean committed(Optional<WalletShare> held, long epoch, byte[] publicKeys) {
    return held.isPresent()
        && held.get().epoch() == epoch
        && Arrays.equals(held.get().publicKeyPackage().encode(), publicKeys);
  }

  /**
   * Makes the share staged for {@code epoch} current, the old one erased, once it is of {@code
   * publicKeys} and every one of {@code participants} acknowledged that package.
   *
   * @param noneStaged appended to the refusal when nothing is staged for the epoch
   */
  void commitStaged(
      UUID walletId,
      long epoch,
      byte[] publicKeys,
      List<String> participants,
      Map<String, String> acks,
      String noneStaged) {
    WalletShare staged =
        store
            .staged(walletId, epoch)
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ProtocolErrors.WRONG_EPOCH,
                        identity.nodeId()
                            + " has no share of epoch "
                            + epoch
                            + " staged"
                            + noneStaged));
    if (!Arrays.equals(staged.publicKeyPackage().encode(), publicKeys)) {
      throw LifecycleRefusals.malformed(
          "the public key package to commit is not the one this node staged");
    }
    identity.requireAcks(walletId, epoch, Set.copyOf(participants), acks, publicKeys);
    store.commit(walletId, epoch);
  }
}
