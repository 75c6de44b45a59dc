package io.mpcw.orchestrator.api.wallets;

import io.mpcw.crypto.util.Hex;
import io.mpcw.orchestrator.lifecycle.KeyOperationView;
import io.mpcw.orchestrator.wallet.Wallet;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * A wallet as the API shows it: public keys only, hex encoded; its key epoch and, when read alone,
 * its latest lifecycle operations (newest first).
 */
record WalletView(
    UUID id,
    String name,
    String status,
    int threshold,
    List<Participant> participants,
    String network,
    String groupPublicKey,
    String outputKey,
    String address,
    boolean isDefault,
    Instant createdAt,
    Instant readyAt,
    String statusReason,
    long keyEpoch,
    List<KeyOperationView> lastOperations) {

  /** A key holder and its FROST identifier. */
  record Participant(String nodeId, int identifier) {}

  record Page(List<WalletView> wallets) {}

  static WalletView of(Wallet wallet) {
    return of(wallet, List.of());
  }

  static WalletView of(Wallet wallet, List<KeyOperationView> lastOperations) {
    List<String> nodes = wallet.participants();
    return new WalletView(
        wallet.id(),
        wallet.name(),
        wallet.status().wireName(),
        wallet.threshold(),
        IntStream.range(0, nodes.size())
            .mapToObj(i -> new Participant(nodes.get(i), i + 1))
            .toList(),
        wallet.network(),
        wallet.groupPublicKey().map(Hex::encode).orElse(null),
        wallet.outputKey().map(Hex::encode).orElse(null),
        wallet.address().orElse(null),
        wallet.isDefault(),
        wallet.createdAt(),
        wallet.readyAt().orElse(null),
        wallet.statusReason().orElse(null),
        wallet.keyEpoch(),
        lastOperations);
  }
}
