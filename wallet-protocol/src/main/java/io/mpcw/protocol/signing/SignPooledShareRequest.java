package io.mpcw.protocol.signing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Round 2 with commitments made ahead of time, {@code sign.share.v2}: as {@link SignShareRequest},
 * but each chosen signer's per-input commitments are ones it pre-shared ({@code
 * sign.precommit.v1}), named by their one-time ids; the session id is the coordinator's, under
 * which the shares are recorded in etcd. There is no round 1 on the critical path.
 *
 * @param commitments signer node id → per input, its pooled commitment (id and hex)
 */
public record SignPooledShareRequest(
    UUID sessionId,
    UUID txId,
    UUID walletId,
    String recipient,
    long amountSats,
    String unsignedTx,
    List<Prevout> prevouts,
    Map<String, List<PooledCommitment>> commitments,
    long epoch) {
  public static final String TYPE = "sign.share.v2";

  public SignPooledShareRequest {
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(txId, "tx_id");
    Objects.requireNonNull(walletId, "wallet_id");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(unsignedTx, "unsigned_tx");
    prevouts = List.copyOf(Objects.requireNonNull(prevouts, "prevouts"));
    commitments = Map.copyOf(Objects.requireNonNull(commitments, "commitments"));
    commitments.values().forEach(list -> Objects.requireNonNull(list, "commitments"));
    if (amountSats <= 0) {
      throw new IllegalArgumentException("amount_sats must be positive");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative");
    }
  }

  /** The same round 2 with the commitments as bare hex, the shape the checks share with v1. */
  SignShareRequest asShareRequest() {
    Map<String, List<String>> hex = new java.util.HashMap<>();
    commitments.forEach(
        (node, list) -> hex.put(node, list.stream().map(PooledCommitment::commitment).toList()));
    return new SignShareRequest(
        sessionId, txId, walletId, recipient, amountSats, unsignedTx, prevouts, hex, epoch);
  }
}
