package io.mpcw.orchestrator.wallet;

import io.mpcw.crypto.address.Network;
import io.mpcw.crypto.address.SegwitAddress;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A wallet; its keys exist once the DKG among its participants has run ({@link #isReady()}).
 *
 * @param address bech32m P2TR address of {@code outputKey} on {@code network}
 * @param participants node ids in FROST identifier order: participants[i] has identifier i + 1
 * @param publicKeyPackage the group's public keys; its verifying key is already the output key Q
 * @param groupPublicKey compressed untweaked group key P
 * @param outputKey x-only Taproot output key Q
 * @param keyEpoch the key epoch the nodes sign in: 0 from the DKG, + 1 per committed refresh
 */
public record Wallet(
    UUID id,
    String name,
    int threshold,
    String network,
    Optional<String> address,
    WalletStatus status,
    Optional<String> statusReason,
    List<String> participants,
    Optional<PublicKeyPackage> publicKeyPackage,
    Optional<byte[]> groupPublicKey,
    Optional<byte[]> outputKey,
    boolean isDefault,
    Instant createdAt,
    Optional<Instant> readyAt,
    long keyEpoch) {

  public Wallet {
    participants = List.copyOf(participants);
    groupPublicKey = groupPublicKey.map(byte[]::clone);
    outputKey = outputKey.map(byte[]::clone);
  }

  /** A wallet without keys yet (the shape this record had before the DKG existed). */
  public Wallet(UUID id, String name, int threshold, String network, Optional<String> address) {
    this(
        id,
        name,
        threshold,
        network,
        address,
        WalletStatus.PENDING,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Instant.EPOCH,
        Optional.empty(),
        0);
  }

  @Override
  public Optional<byte[]> groupPublicKey() {
    return groupPublicKey.map(byte[]::clone);
  }

  @Override
  public Optional<byte[]> outputKey() {
    return outputKey.map(byte[]::clone);
  }

  /** True once the DKG finished: the wallet can receive and sign. */
  public boolean isReady() {
    return status == WalletStatus.READY;
  }

  /** The FROST identifier (1-based) of {@code nodeId}, or 0 when it is not a participant. */
  public int identifierOf(String nodeId) {
    return participants.indexOf(nodeId) + 1;
  }

  public Network bitcoinNetwork() {
    return Network.parse(network);
  }

  /** The output script every coin of this wallet is locked to ({@code OP_1 <Q>}). */
  public Optional<byte[]> scriptPubKey() {
    return outputKey.map(
        key -> SegwitAddress.forTaprootOutputKey(bitcoinNetwork(), key).scriptPubKey());
  }
}
