package io.mpcw.protocol.share;

import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one node keeps of a wallet after the DKG: its own key package (secret share), the group's
 * public keys, and who the participants are (identifier i = participants[i - 1]). Secret: only ever
 * written encrypted ({@link ShareStore}); {@link #toString()} shows no key material.
 *
 * @param groupPublicKey compressed untweaked group key P
 * @param epoch the key epoch this share belongs to: 0 from the DKG, one more after each refresh
 *     (the group key never changes; shares of different epochs never combine)
 */
public record WalletShare(
    UUID walletId,
    String nodeId,
    int identifier,
    int threshold,
    List<String> participants,
    KeyPackage keyPackage,
    PublicKeyPackage publicKeyPackage,
    byte[] groupPublicKey,
    long epoch) {

  /** A share of the DKG's epoch, 0. */
  public WalletShare(
      UUID walletId,
      String nodeId,
      int identifier,
      int threshold,
      List<String> participants,
      KeyPackage keyPackage,
      PublicKeyPackage publicKeyPackage,
      byte[] groupPublicKey) {
    this(
        walletId,
        nodeId,
        identifier,
        threshold,
        participants,
        keyPackage,
        publicKeyPackage,
        groupPublicKey,
        0);
  }

  public WalletShare {
    Objects.requireNonNull(walletId, "walletId");
    Objects.requireNonNull(nodeId, "nodeId");
    participants = List.copyOf(participants);
    Objects.requireNonNull(keyPackage, "keyPackage");
    Objects.requireNonNull(publicKeyPackage, "publicKeyPackage");
    groupPublicKey = groupPublicKey.clone();
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative");
    }
    if (identifier < 1 || identifier > participants.size()) {
      throw new IllegalArgumentException("identifier outside the participants");
    }
    if (!participants.get(identifier - 1).equals(nodeId)) {
      throw new IllegalArgumentException("identifier does not name this node");
    }
  }

  @Override
  public byte[] groupPublicKey() {
    return groupPublicKey.clone();
  }

  /** The same position in the wallet with other key material, in {@code newEpoch}. */
  public WalletShare next(
      KeyPackage newKeyPackage, PublicKeyPackage newPublicKeyPackage, long newEpoch) {
    return new WalletShare(
        walletId,
        nodeId,
        identifier,
        threshold,
        participants,
        newKeyPackage,
        newPublicKeyPackage,
        groupPublicKey,
        newEpoch);
  }

  @Override
  public String toString() {
    return "WalletShare[wallet="
        + walletId
        + ", node="
        + nodeId
        + ", id="
        + identifier
        + ", epoch="
        + epoch
        + "]";
  }
}
